import { ApolloServer } from '@apollo/server';
import type { RequiredEntityData } from '@mikro-orm/core';
import { geography } from '../../common/geography.js';
import { migrate, statementCounter } from '../../common/db.js';
import { buildSchema, createContext, openSubgraphOrm } from '../../common/server.js';
import { SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';
import { formatError } from '../../common/errors.js';
import { training } from '../../subgraphs/training/index.js';
import {
  CertificationAttempt,
  TrainingPath,
  Learner,
  ModuleRegistration,
  ThematicModule,
} from '../../subgraphs/training/entities/index.js';
import { RecruitmentContract, RecruitmentStructure } from '../../common/events/copies.js';
import { createTestDatabase } from '../support/database.js';

/**
 * Figures for the per-territory aggregates at programme scale: 4,000 advisors spread over every département, each
 * hired by one of 3,000 structures (training's copies of recruitment's contracts and structures, written directly),
 * in a throwaway database. Not a jest test (timings are not assertions):
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres LOG_LEVEL=silent npx tsx test/bench/training-aggregates.ts
 */

const db = await createTestDatabase('conum_training_bench');
const orm = await openSubgraphOrm(training, db.url, 4);
try {
  await migrate(orm);
  const deps = geography().departements;
  const em = orm.em.fork();
  const module = em.create(ThematicModule, { code: 'BENCH', title: 'Bench', hours: 7, offeredFrom: 2024 });
  await em.flush();
  const N = 4000;
  const now = new Date();
  const learners: RequiredEntityData<Learner>[] = [];
  const paths: RequiredEntityData<TrainingPath>[] = [];
  const attempts: RequiredEntityData<CertificationAttempt>[] = [];
  const regs: RequiredEntityData<ModuleRegistration>[] = [];
  const structures: RequiredEntityData<RecruitmentStructure>[] = [];
  const contracts: RequiredEntityData<RecruitmentContract>[] = [];
  for (let structureId = 1; structureId <= 3000; structureId++) {
    const d = deps[structureId % deps.length]!;
    structures.push({
      structureId,
      name: `Structure ${structureId}`,
      type: 'COMMUNE',
      sector: 'PUBLIC',
      status: 'VALIDATION_COSELEC',
      departementCode: d.code,
      regionCode: d.region,
      communeCode: '00000',
      advisorPosts: 2,
      coordinatorPosts: 0,
      phase: 'PHASE_1',
      isZrr: false,
      isQpv: false,
      updatedAt: now,
    });
  }
  for (let id = 1; id <= N; id++) {
    const structureId = 1 + (id % 3000);
    const d = deps[structureId % deps.length]!;
    contracts.push({
      miseEnRelationId: id,
      conseillerId: id,
      structureId,
      status: 'FINALISEE',
      phase: 'PHASE_1',
      coordinator: false,
      contractType: 'CDI',
      startDate: '2024-02-01',
      employedFrom: '2024-02-01',
      updatedAt: now,
    });
    learners.push({
      conseillerId: id,
      structureId,
      departementCode: d.code,
      regionCode: d.region,
      entryDate: '2024-02-05',
      createdAt: now,
      updatedAt: now,
    });
    paths.push({
      conseillerId: id,
      hours: 175,
      status: 'COMPLETED',
      startDate: '2024-02-05',
      endDate: '2024-04-05',
      createdAt: now,
      updatedAt: now,
    });
    attempts.push({ conseillerId: id, type: 'CCP1', attempt: 1, date: '2024-06-01', result: id % 4 ? 'PASSED' : 'FAILED', createdAt: now });
    regs.push({ conseillerId: id, module: module.id, date: '2024-06-10', status: 'ATTENDED', createdAt: now, updatedAt: now });
  }
  await em.insertMany(RecruitmentStructure, structures);
  await em.insertMany(RecruitmentContract, contracts);
  await em.insertMany(Learner, learners);
  await em.insertMany(TrainingPath, paths);
  await em.insertMany(CertificationAttempt, attempts);
  await em.insertMany(ModuleRegistration, regs);
  const server = new ApolloServer({ schema: buildSchema(training), formatError });
  await server.start();
  const run = async (label: string, query: string, variables: Record<string, unknown>, viewer: Viewer = SYSTEM_ADMIN) => {
    const times: number[] = [];
    let statements = 0;
    for (let i = 0; i < 6; i++) {
      const counter = statementCounter(orm);
      const before = counter.statements;
      const t = performance.now();
      const r = await server.executeOperation({ query, variables }, { contextValue: createContext(training, orm, viewer) });
      times.push(performance.now() - t);
      statements = counter.statements - before;
      const body = r.body.kind === 'single' ? r.body.singleResult : null;
      if (body?.errors) throw new Error(JSON.stringify(body.errors));
    }
    times.sort((a, b) => a - b);
    console.log(`${label}: median ${times[3]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}), ${statements} statements`);
  };
  await run(
    `${deps.length} départements summaries (4,000 advisors)`,
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Departement { training(asOf: "2025-06-01") { advisors certified certificationOverdue modulesLate } } } }`,
    { r: deps.map((d) => ({ __typename: 'Departement', code: d.code })) },
  );
  await run(
    'one département summary',
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Departement { training(asOf: "2025-06-01") { advisors certified } } } }`,
    { r: [{ __typename: 'Departement', code: '13' }] },
  );
  await run(
    'national trainingFollowUp MODULES_LATE, first 100',
    `{ trainingFollowUp(filter: { concern: MODULES_LATE }, asOf: "2025-06-01", first: 100) { totalCount edges { node { id } } } }`,
    {},
  );
  await run(
    '100 advisors: level, progress, modules, path',
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Conseiller { certificationLevel certificationProgress(asOf: "2025-06-01") { overdue } continuingEducation(asOf: "2025-06-01") { late } trainingPath { hours } } } }`,
    { r: Array.from({ length: 100 }, (_, i) => ({ __typename: 'Conseiller', id: String(i * 37 + 1) })) },
  );
  // The same reads for a préfet of région 84 (row filter in SQL: the figures should stay of the same order).
  const prefet: Viewer = { ...SYSTEM_ADMIN, role: 'prefet', id: 'bench-prefet', territory: { departements: [], regions: ['84'] } };
  const ofRegion = deps.filter((d) => d.region === '84');
  await run(
    `préfet of région 84: its ${ofRegion.length} départements summaries`,
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Departement { training(asOf: "2025-06-01") { advisors certified certificationOverdue modulesLate } } } }`,
    { r: ofRegion.map((d) => ({ __typename: 'Departement', code: d.code })) },
    prefet,
  );
  await run(
    'préfet of région 84: trainingFollowUp MODULES_LATE, first 100',
    `{ trainingFollowUp(filter: { concern: MODULES_LATE }, asOf: "2025-06-01", first: 100) { totalCount edges { node { id } } } }`,
    {},
    prefet,
  );
  await run(
    'préfet of région 84: 100 advisors (of any région)',
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Conseiller { certificationLevel certificationProgress(asOf: "2025-06-01") { overdue } continuingEducation(asOf: "2025-06-01") { late } trainingPath { hours } } } }`,
    { r: Array.from({ length: 100 }, (_, i) => ({ __typename: 'Conseiller', id: String(i * 37 + 1) })) },
    prefet,
  );
  await server.stop();
} finally {
  await orm.close();
  await db.drop();
}
