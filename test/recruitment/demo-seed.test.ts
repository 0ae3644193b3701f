import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { demoWorld } from '../../common/demo/world.js';
import { migrate, type MikroORM } from '../../common/db.js';
import { CONTRACT_EVENTS, STRUCTURE_EVENTS } from '../../common/events/catalogue.js';
import type { EventDefinition } from '../../common/events/event.js';
import { OutboxEvent } from '../../common/events/outbox.js';
import { openSubgraphOrm, prepareDatabase } from '../../common/server.js';
import { Conseiller, CoselecDecision, MiseEnRelation, MiseEnRelationEvent, Structure } from '../../subgraphs/recruitment/entities/index.js';
import {
  CONSEILLER_STATUSES,
  MISE_EN_RELATION_STATUSES,
  POST_HOLDING_STATUSES,
  STRUCTURE_STATUSES,
} from '../../subgraphs/recruitment/entities/vocabulary.js';
import { communeInfo } from '../../subgraphs/recruitment/rules/geography.js';
import { MISE_EN_RELATION_TRANSITIONS } from '../../subgraphs/recruitment/rules/mise-en-relation.js';
import { STRUCTURE_TRANSITIONS } from '../../subgraphs/recruitment/rules/structure.js';
import { applyCandidate } from '../../subgraphs/recruitment/services/conseiller.service.js';
import { contractEventFor, contractStateOf, structureEventFor, structureStateOf } from '../../subgraphs/recruitment/services/events.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** The demo seed on a database of its own (its ids are the demo world's). */
let database: TestDatabase;
let orm: MikroORM;
beforeAll(async () => {
  database = await createTestDatabase('conum_recruitment_seed', { migrated: true });
  orm = await openSubgraphOrm(subgraphs.recruitment, database.url, 2);
  await migrate(orm);
  expect(await prepareDatabase(subgraphs.recruitment, orm, true)).toMatchObject({ seeded: true });
});
afterAll(async () => {
  await orm?.close();
  await database?.drop();
});

describe('recruitment demo seed', () => {
  test('is the demo world: same structures and people, in real communes, every status present; seeded once', async () => {
    const em = orm.em.fork();
    const world = demoWorld();
    const structures = await em.find(Structure, {}, { orderBy: { id: 'asc' } });
    const people = await em.find(Conseiller, {}, { orderBy: { id: 'asc' } });
    expect(structures.map((s) => [s.id, s.status, s.communeCode])).toEqual(world.structures.map((s) => [s.id, s.status, s.commune.code]));
    expect(people.map((p) => [p.id, p.status, p.structure?.id ?? null])).toEqual(
      world.people.map((p) => [p.id, p.status, p.status === 'RECRUTE' ? p.structureId : null]),
    );
    // Dates are the world's, not the seeding day's.
    expect(structures.map((s) => s.createdAt.toISOString().slice(0, 10))).toEqual(world.structures.map((s) => s.appliedOn));
    expect(new Set(structures.map((s) => s.status))).toEqual(new Set(STRUCTURE_STATUSES));
    expect(new Set(people.map((p) => p.status))).toEqual(new Set(CONSEILLER_STATUSES));
    expect(new Set(structures.map((s) => s.departementCode)).size).toBeGreaterThanOrEqual(8);
    for (const s of [...structures, ...people])
      expect(communeInfo(s.communeCode)).toMatchObject({ departementCode: s.departementCode, regionCode: s.regionCode });
    const located = [...structures, ...people].filter((s) => s.latitude != null).length;
    expect(located / (structures.length + people.length)).toBeGreaterThan(0.85);
    expect(structures.length).toBeGreaterThanOrEqual(100);
    expect(people.length).toBeGreaterThanOrEqual(300);
    expect(await prepareDatabase(subgraphs.recruitment, orm, true)).toMatchObject({ seeded: false });
  });

  test('mises en relation cover the 12 statuses; every history follows the state machine', async () => {
    const em = orm.em.fork();
    const mers = await em.find(MiseEnRelation, {});
    expect(new Set(mers.map((m) => m.status))).toEqual(new Set(MISE_EN_RELATION_STATUSES));
    const events = await em.find(MiseEnRelationEvent, {}, { orderBy: { id: 'asc' } });
    const byMer = new Map<number, MiseEnRelationEvent[]>();
    for (const e of events) byMer.set(e.miseEnRelation.id, [...(byMer.get(e.miseEnRelation.id) ?? []), e]);
    for (const mer of mers) {
      const history = byMer.get(mer.id) ?? [];
      expect(history[0]?.fromStatus).toBeNull();
      for (const event of history.slice(1)) expect(MISE_EN_RELATION_TRANSITIONS[event.fromStatus!]).toContain(event.toStatus);
      expect(history.at(-1)?.toStatus).toBe(mer.status);
    }
  });

  test("each hired person's first contract is the world's contract type, with their structure", async () => {
    const em = orm.em.fork();
    const contracts = await em.find(MiseEnRelation, { contractType: { $ne: null }, renewalOf: null }, { orderBy: { id: 'asc' } });
    const hired = demoWorld().people.filter((p) => p.structureId != null);
    for (const person of hired) {
      const first = contracts.find(
        (m) => m.conseiller.id === person.id && m.structure.id === person.structureId && m.contractStartDate === person.startDate,
      );
      expect([person.id, first?.contractType]).toEqual([person.id, person.contractType]);
    }
    expect(new Set(hired.map((p) => p.contractType))).toEqual(new Set(['CDI', 'CDD', 'PEC', 'CONTRAT_DE_PROJET']));
  });

  test('quotas: the latest committee decision is the quota, never below the posts held; validated structures only recruit', async () => {
    const em = orm.em.fork();
    const structures = await em.find(Structure, {});
    const decisions = await em.find(CoselecDecision, {}, { orderBy: { id: 'asc' } });
    const holding = await em.find(MiseEnRelation, { status: { $in: [...POST_HOLDING_STATUSES] } });
    for (const s of structures) {
      const own = decisions.filter((d) => d.structure.id === s.id);
      expect(own.at(-1)?.postsGranted ?? 0).toBe(s.postQuota);
      const held = holding.filter((m) => m.structure.id === s.id).length;
      expect(held).toBeLessThanOrEqual(s.postQuota);
      if (held > 0) expect(s.status).toBe('VALIDATION_COSELEC');
    }
    // Every structure status is reachable from CREEE in the status machine.
    for (const status of STRUCTURE_STATUSES.filter((s) => s !== 'CREEE')) {
      expect(Object.values(STRUCTURE_TRANSITIONS).some((targets) => targets.includes(status))).toBe(true);
    }
  });

  test('publishes its final state: one event per structure and per contract, each carrying the row as seeded', async () => {
    const em = orm.em.fork();
    const outbox = await em.find(OutboxEvent, {}, { orderBy: { seq: 'asc' } });
    const structures = await em.find(Structure, {}, { orderBy: { id: 'asc' } });
    const contracts = await em.find(MiseEnRelation, { contractStartDate: { $ne: null } }, { orderBy: { id: 'asc' } });
    const family = (events: readonly EventDefinition[]) => outbox.filter((row) => events.some((e) => e.type === row.type));
    const structureRows = family(STRUCTURE_EVENTS);
    const contractRows = family(CONTRACT_EVENTS);
    // Nothing else, and nothing twice (the seed ran twice above: the second run seeded nothing).
    expect(outbox).toHaveLength(structureRows.length + contractRows.length);
    expect(structureRows.map((row) => row.aggregateId)).toEqual(structures.map((s) => String(s.id)));
    expect(contractRows.map((row) => row.aggregateId)).toEqual(contracts.map((m) => String(m.id)));
    expect(contracts.length).toBeGreaterThan(100);

    for (const [i, structure] of structures.entries()) {
      const event = structureEventFor(structure.status);
      const row = structureRows[i]!;
      expect([row.type, row.version]).toEqual([event.type, event.version]);
      // On a fork of its own: structureStateOf flushes first, which costs nothing on an empty one.
      expect(event.payload.parse(row.payload)).toEqual(await structureStateOf(orm.em.fork(), structure));
    }
    for (const [i, mer] of contracts.entries()) {
      // Every seeded contract has an event for its status (a cancelled recruitment would have no contract dates).
      const event = contractEventFor(mer.status, mer.renewalOf != null)!;
      const row = contractRows[i]!;
      expect([row.type, row.version, mer.status]).toEqual([event?.type, event?.version, mer.status]);
      expect(event.payload.parse(row.payload)).toEqual(contractStateOf(mer));
    }
  });

  test('new applications get ids after the demo ones', async () => {
    const next = new Date().getUTCFullYear() + 1;
    const person = await applyCandidate(orm.em.fork(), SYSTEM_ADMIN, {
      firstName: 'Léa',
      lastName: 'Nouvelle',
      email: 'lea.nouvelle@example.org',
      communeCode: '33063',
      maxDistanceKm: 15,
      availableFrom: `${next}-02-01`,
      isJobSeeker: true,
    });
    expect(person.id).toBe(demoWorld().people.length + 1);
  });
});
