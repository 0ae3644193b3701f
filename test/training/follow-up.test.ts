import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CertificationAttempt, ModuleRegistration } from '../../subgraphs/training/entities/index.js';
import { recruitmentCancelled, ruptureValidated } from '../../common/events/catalogue.js';
import { createLearner, createModule, createTrainingPath, hireAdvisor, uniqueTerritoryCode } from '../support/factories/training.js';
import { feed } from '../support/events.js';
import { failsWith, succeeds, type Data } from '../support/graphql.js';
import { uniqueId } from '../support/ids.js';
import { countStatements } from '../support/sql-counter.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

let training: TestSubgraph;
beforeAll(async () => {
  training = await openTestSubgraph('training');
});
afterAll(async () => {
  await training.close();
});

describe('thematic modules', () => {
  const REGISTER = `mutation ($c: ID!, $m: ID!, $d: Date!) { registerForModule(input: { conseillerId: $c, moduleId: $m, date: $d }) { moduleRegistration { id date status module { code offeredFrom } conseiller { id } } } }`;

  test('registration, attendance and the catalogue year', async () => {
    const conseillerId = uniqueId();
    await createLearner(training.orm, { conseillerId, entryDate: '2024-03-04' });
    const module = await createModule(training.orm);
    const cafeIa = await createModule(training.orm, { offeredFrom: 2025 });

    const registered = await succeeds(training.execute(REGISTER, { c: String(conseillerId), m: String(module.id), d: '2024-05-14' }));
    expect(registered).toMatchObject({
      registerForModule: {
        moduleRegistration: {
          date: '2024-05-14',
          status: 'REGISTERED',
          module: { code: module.code },
          conseiller: { id: String(conseillerId) },
        },
      },
    });
    const registrationId = registered.registerForModule.moduleRegistration.id;
    const attend = `mutation ($r: ID!, $a: Boolean!) { recordModuleAttendance(input: { registrationId: $r, attended: $a }) { moduleRegistration { status } } }`;
    expect(await succeeds(training.execute(attend, { r: registrationId, a: true }))).toEqual({
      recordModuleAttendance: { moduleRegistration: { status: 'ATTENDED' } },
    });
    await failsWith('INVALID_STATUS_TRANSITION', training.execute(attend, { r: registrationId, a: false }));

    expect(
      await failsWith('CONFLICT', training.execute(REGISTER, { c: String(conseillerId), m: String(module.id), d: '2024-05-14' })),
    ).toMatchObject({ field: 'date' });
    expect(
      await failsWith('BAD_USER_INPUT', training.execute(REGISTER, { c: String(conseillerId), m: String(cafeIa.id), d: '2024-10-01' })),
    ).toMatchObject({ field: 'date' });
    expect(
      await failsWith('BAD_USER_INPUT', training.execute(REGISTER, { c: String(uniqueId()), m: String(module.id), d: '2024-10-01' })),
    ).toMatchObject({ field: 'conseillerId' });
    const future = await succeeds(training.execute(REGISTER, { c: String(conseillerId), m: String(cafeIa.id), d: '2999-01-05' }));
    expect(
      await failsWith('BAD_USER_INPUT', training.execute(attend, { r: future.registerForModule.moduleRegistration.id, a: true })),
    ).toMatchObject({ field: 'registrationId' });

    const catalogue = await succeeds(training.execute(`{ y2024: thematicModules(offeredIn: 2024) { id } all: thematicModules { id } }`));
    expect(catalogue.y2024.map((m: Data) => m.id)).toContain(String(module.id));
    expect(catalogue.y2024.map((m: Data) => m.id)).not.toContain(String(cafeIa.id));
    expect(catalogue.all.map((m: Data) => m.id)).toContain(String(cafeIa.id));
  });

  test('an advisor’s obligations and lateness', async () => {
    const conseillerId = uniqueId();
    await createLearner(training.orm, { conseillerId, entryDate: '2024-03-04' });
    const module = await createModule(training.orm);
    const em = training.orm.em.fork();
    em.create(ModuleRegistration, { conseillerId, module: module.id, date: '2024-06-10', status: 'ATTENDED' });
    em.create(ModuleRegistration, { conseillerId, module: module.id, date: '2024-09-10', status: 'ABSENT' });
    await em.flush();
    const query = `query ($r: [_Any!]!, $asOf: Date) { _entities(representations: $r) { ... on Conseiller { continuingEducation(asOf: $asOf) { late obligations { period from until required done late } } moduleRegistrations { status } } } }`;
    const data = await succeeds(
      training.execute(query, {
        r: [
          { __typename: 'Conseiller', id: String(conseillerId) },
          { __typename: 'Conseiller', id: String(uniqueId()) },
        ],
        asOf: '2025-04-01',
      }),
    );
    expect(data).toEqual({
      _entities: [
        {
          continuingEducation: {
            late: true,
            obligations: [{ period: 'FIRST_YEAR', from: '2024-03-04', until: '2025-03-03', required: 2, done: 1, late: true }],
          },
          moduleRegistrations: [{ status: 'ATTENDED' }, { status: 'ABSENT' }],
        },
        { continuingEducation: null, moduleRegistrations: [] },
      ],
    });
  });
});

/** A territory of `n` advisors: one to enrol, one overdue on certification, the rest certified and late on modules. */
async function territory(n: number, departementCode: string, regionCode: string, structureId: number): Promise<number[]> {
  const ids: number[] = [];
  const em = training.orm.em.fork();
  for (let i = 0; i < n; i++) {
    const conseillerId = uniqueId();
    ids.push(conseillerId);
    await createLearner(training.orm, { conseillerId, structureId, departementCode, regionCode, entryDate: '2024-01-08' });
    if (i === 0) {
      await createTrainingPath(training.orm, {
        conseillerId,
        hours: 175,
        status: 'TO_ENROL',
        startDate: '2024-01-08',
        endDate: '2024-02-11',
      });
      continue;
    }
    await createTrainingPath(training.orm, {
      conseillerId,
      hours: 175,
      status: 'COMPLETED',
      startDate: '2024-01-08',
      endDate: '2024-03-01',
    });
    if (i > 1) em.create(CertificationAttempt, { conseillerId, type: 'CCP1', attempt: 1, date: '2024-05-01', result: 'PASSED' });
    if (i > 1)
      em.create(CertificationAttempt, {
        conseillerId,
        type: 'PIX',
        attempt: 1,
        date: '2024-05-01',
        result: 'PASSED',
        pixSkillLevels: [5, 5, 5],
      });
  }
  await em.flush();
  return ids;
}

describe('per-territory figures and who is late', () => {
  const SUMMARY =
    'advisors toEnrol inTraining trained exempted certified certificationOverdue modulesLate certificationLevels { level advisors }';

  test('Departement, Region and Structure summaries, evaluated on asOf', async () => {
    const [departementCode, regionCode, structureId] = [uniqueTerritoryCode(3), uniqueTerritoryCode(2), uniqueId()];
    await territory(4, departementCode, regionCode, structureId);
    const data = await succeeds(
      training.execute(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Departement { code training(asOf: "2025-06-01") { ${SUMMARY} } } ... on Region { code training(asOf: "2025-06-01") { ${SUMMARY} } } ... on Structure { id training(asOf: "2024-06-01") { ${SUMMARY} } } } }`,
        {
          r: [
            { __typename: 'Departement', code: departementCode },
            { __typename: 'Region', code: regionCode },
            { __typename: 'Structure', id: String(structureId) },
            { __typename: 'Departement', code: uniqueTerritoryCode(3) },
          ],
        },
      ),
    );
    const levels = (ccp1: number, none: number) => [
      { level: 'REMN', advisors: 0 },
      { level: 'CCP1', advisors: ccp1 },
      { level: 'PIX', advisors: 0 },
      { level: 'NONE', advisors: none },
    ];
    const figures = {
      advisors: 4,
      toEnrol: 1,
      inTraining: 0,
      trained: 3,
      exempted: 0,
      certified: 2,
      certificationOverdue: 1,
      modulesLate: 4,
      certificationLevels: levels(2, 2),
    };
    expect(data).toEqual({
      _entities: [
        { code: departementCode, training: figures },
        { code: regionCode, training: figures },
        // Before the deadline (2024-09-01) and before the end of the first module year, nobody is late.
        { id: String(structureId), training: { ...figures, certificationOverdue: 0, modulesLate: 0 } },
        {
          code: expect.any(String),
          training: {
            advisors: 0,
            toEnrol: 0,
            inTraining: 0,
            trained: 0,
            exempted: 0,
            certified: 0,
            certificationOverdue: 0,
            modulesLate: 0,
            certificationLevels: levels(0, 0),
          },
        },
      ],
    });
  });

  test('trainingFollowUp lists who is late, paged by advisor id', async () => {
    const departementCode = uniqueTerritoryCode(3);
    const ids = await territory(5, departementCode, uniqueTerritoryCode(2), uniqueId());
    const followUp = `query ($f: TrainingFollowUpFilter!, $after: String) { trainingFollowUp(filter: $f, asOf: "2025-06-01", first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`;
    const overdue = await succeeds(training.execute(followUp, { f: { concern: 'CERTIFICATION_OVERDUE', departementCode } }));
    expect(overdue).toMatchObject({ trainingFollowUp: { totalCount: 1, edges: [{ node: { id: String(ids[1]) } }] } });
    const toEnrol = await succeeds(training.execute(followUp, { f: { concern: 'TO_ENROL', departementCode } }));
    expect(toEnrol).toMatchObject({ trainingFollowUp: { totalCount: 1, edges: [{ node: { id: String(ids[0]) } }] } });

    const page1 = await succeeds(training.execute(followUp, { f: { concern: 'MODULES_LATE', departementCode } }));
    expect(page1).toMatchObject({
      trainingFollowUp: {
        totalCount: 5,
        pageInfo: { hasNextPage: true },
        edges: [{ node: { id: String(ids[0]) } }, { node: { id: String(ids[1]) } }],
      },
    });
    const page2 = await succeeds(
      training.execute(followUp, {
        f: { concern: 'MODULES_LATE', departementCode },
        after: page1.trainingFollowUp.pageInfo.endCursor,
      }),
    );
    expect(page2).toMatchObject({ trainingFollowUp: { edges: [{ node: { id: String(ids[2]) } }, { node: { id: String(ids[3]) } }] } });

    const certified = await succeeds(training.execute(followUp, { f: { certificationLevel: 'CCP1', departementCode } }));
    expect(certified).toMatchObject({
      trainingFollowUp: { totalCount: 3, edges: [{ node: { id: String(ids[2]) } }, { node: { id: String(ids[3]) } }] },
    });
    const uncertifiedOverdue = await succeeds(
      training.execute(followUp, {
        f: { concern: 'CERTIFICATION_OVERDUE', certificationLevel: 'NONE', departementCode },
      }),
    );
    expect(uncertifiedOverdue).toMatchObject({ trainingFollowUp: { totalCount: 1 } });

    const empty = await succeeds(training.execute(followUp, { f: { concern: 'MODULES_LATE', departementCode: uniqueTerritoryCode(3) } }));
    expect(empty).toEqual({ trainingFollowUp: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } });
  });

  test('summaries of 2 or 30 territories cost the same statements', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) {
      codes.push(uniqueTerritoryCode(3));
      await territory(2, codes[i]!, uniqueTerritoryCode(2), uniqueId());
    }
    const cost = async (n: number) => {
      const { result, total } = await countStatements(training.orm, () =>
        training.execute(
          `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Departement { training(asOf: "2025-06-01") { advisors certified modulesLate } } } }`,
          {
            r: codes.slice(0, n).map((code) => ({ __typename: 'Departement', code })),
          },
        ),
      );
      expect((await succeeds(result))._entities.map((e: Data) => e.training.advisors)).toEqual(Array(n).fill(2));
      return total;
    };
    const small = await cost(2);
    expect(await cost(30)).toBe(small);
    expect(small).toBe(4);
  });
});

describe('the figures count only advisors hired or being hired, where their contract places them (issue 14)', () => {
  const OPEN = `mutation ($c: ID!) { openTrainingPath(input: { conseillerId: $c, hours: 175, plannedStartDate: "2025-03-03" }) { trainingPath { id } } }`;
  const FIGURES = `query ($d: String!, $r: String!, $s: ID!, $asOf: Date!) { _entities(representations: [{ __typename: "Departement", code: $d }, { __typename: "Region", code: $r }, { __typename: "Structure", id: $s }]) { ... on Departement { training(asOf: $asOf) { advisors toEnrol } } ... on Region { training(asOf: $asOf) { advisors toEnrol } } ... on Structure { training(asOf: $asOf) { advisors toEnrol } } } }`;
  const FOLLOW_UP = `query ($d: String!, $asOf: Date!) { trainingFollowUp(filter: { departementCode: $d }, asOf: $asOf, first: 100) { totalCount nodes { id } } }`;

  test('a candidate and a nobody get no path; a recruitment cancelled or a departure stops the counting, the path stays', async () => {
    const here = { structureId: uniqueId(), departementCode: uniqueTerritoryCode(3), regionCode: uniqueTerritoryCode(2) };
    const [hired, recruiting, candidate, legacy, moved] = [uniqueId(), uniqueId(), uniqueId(), uniqueId(), uniqueId()];
    const signed = await hireAdvisor(training.orm, {
      conseillerId: hired,
      ...here,
      contract: { type: 'CDD', startDate: '2025-01-06', endDate: '2026-12-31', grossMonthlySalaryCents: 180_000 },
    });
    const requested = await hireAdvisor(training.orm, { conseillerId: recruiting, ...here, status: 'RECRUTEE' });
    for (const id of [hired, recruiting]) await succeeds(training.execute(OPEN, { c: String(id) }));
    // The journey: a mere candidate and a person who does not exist.
    for (const id of [candidate, 2_147_000_001]) {
      expect(await failsWith('BAD_USER_INPUT', training.execute(OPEN, { c: String(id) }))).toMatchObject({ field: 'conseillerId' });
    }
    // A path opened before the rule, the employer typed in, for someone recruitment never hired: counted nowhere.
    await createLearner(training.orm, { conseillerId: legacy, ...here }, { hired: false });
    await createTrainingPath(training.orm, { conseillerId: legacy, status: 'TO_ENROL', startDate: '2025-03-03', endDate: '2025-05-30' });
    // Stamped elsewhere when entering training, employed here now: located by the contract.
    await createLearner(
      training.orm,
      { conseillerId: moved, departementCode: uniqueTerritoryCode(3), regionCode: uniqueTerritoryCode(2) },
      { hired: false },
    );
    await hireAdvisor(training.orm, { conseillerId: moved, ...here });

    const figures = async (asOf: string) => {
      const vars = { d: here.departementCode, r: here.regionCode, s: String(here.structureId), asOf };
      const data = await succeeds(training.execute(FIGURES, vars));
      const list = await succeeds(training.execute(FOLLOW_UP, { d: here.departementCode, asOf }));
      return {
        summaries: data._entities.map((e: Data) => e.training),
        listed: list.trainingFollowUp.nodes.map((n: Data) => Number(n.id)),
      };
    };
    const counted = (advisors: number, toEnrol: number) => Array(3).fill({ advisors, toEnrol });
    expect(await figures('2025-06-01')).toEqual({ summaries: counted(3, 2), listed: [hired, recruiting, moved] });

    // The recruitment is cancelled: the path stays (TO_ENROL), the figures stop counting the advisor.
    await feed(training.orm, 'training', recruitmentCancelled, requested.miseEnRelationId, {
      ...requested,
      status: 'INTERESSEE',
      contract: null,
    });
    expect(await figures('2025-06-01')).toEqual({ summaries: counted(2, 1), listed: [hired, moved] });
    const path = await succeeds(
      training.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Conseiller { trainingPath { status } } } }`, {
        r: [{ __typename: 'Conseiller', id: String(recruiting) }],
      }),
    );
    expect(path._entities).toEqual([{ trainingPath: { status: 'TO_ENROL' } }]);

    // The hired advisor leaves on 2025-04-30 (rupture validated): counted that day, not after.
    await feed(training.orm, 'training', ruptureValidated, signed.miseEnRelationId, {
      ...signed,
      status: 'FINALISEE_RUPTURE',
      ruptureDate: '2025-04-30',
    });
    expect(await figures('2025-04-30')).toEqual({ summaries: counted(2, 1), listed: [hired, moved] });
    expect(await figures('2025-06-01')).toEqual({ summaries: counted(1, 0), listed: [moved] });
  });

  test('figures and follow-up cost the same statements for 2 or 20 advisors with several contracts each', async () => {
    const cost = async (n: number) => {
      const here = { structureId: uniqueId(), departementCode: uniqueTerritoryCode(3), regionCode: uniqueTerritoryCode(2) };
      for (let i = 0; i < n; i++) {
        const conseillerId = uniqueId();
        // An ended contract elsewhere, then the one here.
        await createLearner(training.orm, { conseillerId, ...here });
        await hireAdvisor(training.orm, {
          conseillerId,
          contract: { type: 'CDD', startDate: '2021-01-04', endDate: '2022-12-31', grossMonthlySalaryCents: 180_000 },
        });
      }
      const vars = { d: here.departementCode, r: here.regionCode, s: String(here.structureId), asOf: '2025-06-01' };
      const summaries = await countStatements(training.orm, () => training.execute(FIGURES, vars));
      expect((await succeeds(summaries.result))._entities.map((e: Data) => e.training.advisors)).toEqual([n, n, n]);
      const list = await countStatements(training.orm, () => training.execute(FOLLOW_UP, vars));
      expect((await succeeds(list.result)).trainingFollowUp.totalCount).toBe(n);
      return [summaries.total, list.total];
    };
    const small = await cost(2);
    expect(await cost(20)).toEqual(small);
    expect(small).toEqual([4, 4]);
  });
});
