import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { MikroORM } from '../../common/db.js';
import { startEventBus, type BusOptions } from '../../common/events/bus.js';
import {
  contractExtended,
  contractSigned,
  recruitmentRequested,
  ruptureValidated,
  structureApplied,
  structureDecided,
  type ContractState,
  type StructureState,
} from '../../common/events/catalogue.js';
import { contractStateOfCopy, RecruitmentContract, RecruitmentStructure, structureStateOfCopy } from '../../common/events/copies.js';
import { InboxEntry } from '../../common/events/inbox.js';
import { natsNames } from '../../common/events/nats.js';
import { OutboxEvent } from '../../common/events/outbox.js';
import { outboxEvents, replayCopies, streamEvents, type EventSource } from '../../common/events/replay.js';
import { openSubgraphOrm } from '../../common/server.js';
import { defineWriteSteps, type Step } from '../../common/steps.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import { eventNodes, subgraphs } from '../../subgraphs/registry.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';
import { contractState, structureState } from '../support/events.js';

/**
 * `npm run events:replay -- <subgraph>` (common/events/replay.ts): a subgraph's copies of recruitment are rebuilt
 * from the events, on both transports (the outbox tables without NATS, the JetStream stream with it). Recruitment
 * emits structure and contract events from a write step; conventions' real consumers (its copies and its effect on
 * ruptures) apply them over the bus; a copy row is then corrupted, one deleted and one invented, and the replay
 * gives back exactly what the events say, without running the effect again.
 */

const { step } = defineWriteSteps({ publish: ['admin'] });
const FAST: BusOptions = { backoffMs: 20, pollMs: 20, maxDeliver: 3 };
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

interface World {
  database: TestDatabase;
  recruitment: MikroORM;
  conventions: MikroORM;
}

async function openWorld(prefix: string): Promise<World> {
  const database = await createTestDatabase(prefix, { migrated: true });
  const recruitment = await openSubgraphOrm(subgraphs.recruitment, database.url, 4);
  const conventions = await openSubgraphOrm(subgraphs.conventions, database.url, 4);
  await recruitment.migrator.up();
  await conventions.migrator.up();
  return { database, recruitment, conventions };
}

async function closeWorld(world: World | undefined) {
  await world?.recruitment.close();
  await world?.conventions.close();
  await world?.database.drop();
}

/** Recruitment's history of two structures and three contracts, one step per change; their final states. */
async function publishHistory(recruitment: MikroORM) {
  const publish = (emit: (s: Step<'publish'>) => void) =>
    step(recruitment.em.fork(), SYSTEM_ADMIN, 'publish', async (s) => {
      s.unscoped('a test step');
      emit(s);
    });
  const first = structureState({ structureId: 1, status: 'CREEE', advisorPosts: 0 });
  const second = structureState({ structureId: 2, departementCode: '75', regionCode: '11', communeCode: '75056' });
  await publish((s) => s.emit(structureApplied, 1, first));
  await publish((s) => s.emit(structureApplied, 2, second));
  const decided: StructureState = { ...first, status: 'VALIDATION_COSELEC', advisorPosts: 3 };
  await publish((s) => s.emit(structureDecided, 1, decided));
  const signed = contractState({ miseEnRelationId: 10, conseillerId: 100, structureId: 1 });
  const extended: ContractState = { ...signed, contract: { ...signed.contract!, endDate: '2025-06-30', grossMonthlySalaryCents: 190_000 } };
  const ruptured: ContractState = {
    ...contractState({ miseEnRelationId: 11, conseillerId: 101, structureId: 1 }),
    status: 'FINALISEE_RUPTURE',
    ruptureDate: '2024-05-31',
  };
  const requested = contractState({ miseEnRelationId: 12, conseillerId: 102, structureId: 2, status: 'RECRUTEE' });
  await publish((s) => s.emit(contractSigned, 10, signed));
  await publish((s) => s.emit(contractSigned, 11, { ...ruptured, status: 'FINALISEE', ruptureDate: null }));
  await publish((s) => s.emit(contractExtended, 10, extended));
  await publish((s) => s.emit(ruptureValidated, 11, ruptured));
  await publish((s) => s.emit(recruitmentRequested, 12, requested));
  return { structures: [decided, second], contracts: [extended, ruptured, requested], events: 8 };
}

const structuresOf = async (orm: MikroORM) =>
  (await orm.em.fork().find(RecruitmentStructure, {}, { orderBy: { structureId: 'asc' } })).map(structureStateOfCopy);
const contractsOf = async (orm: MikroORM) =>
  (await orm.em.fork().find(RecruitmentContract, {}, { orderBy: { miseEnRelationId: 'asc' } })).map(contractStateOfCopy);
const inboxCount = (orm: MikroORM, consumer: string) => orm.em.fork().count(InboxEntry, { consumer });

/** Breaks the copies as a bug or a hand edit would: a changed quota, a lost contract, an invented one. */
async function corrupt(conventions: MikroORM) {
  const em = conventions.em.fork();
  await em.execute(`update conventions.recruitment_structure set advisor_posts = 99, status = 'ABANDON' where structure_id = 1`);
  await em.execute(`delete from conventions.recruitment_contract where mise_en_relation_id = 10`);
  await em.execute(
    `insert into conventions.recruitment_contract (mise_en_relation_id, conseiller_id, structure_id, status, phase, coordinator, updated_at)
     values (999, 999, 2, 'FINALISEE', 'PHASE_1', false, now())`,
  );
}

/** Runs the history through the bus, corrupts the copies, replays from `source`, and checks what the events say. */
async function corruptAndReplay(world: World, bus: BusOptions, source: () => EventSource) {
  const { recruitment, conventions } = world;
  const expected = await publishHistory(recruitment);
  const running = await startEventBus(
    eventNodes([
      { name: 'recruitment', orm: recruitment },
      { name: 'conventions', orm: conventions },
    ]),
    bus,
  );
  try {
    await eventually(async () => expect(await contractsOf(conventions)).toEqual(expected.contracts));
    await eventually(async () => expect(await recruitment.em.fork().count(OutboxEvent, { publishedAt: null })).toBe(0));
  } finally {
    await running.stop();
  }
  expect(await structuresOf(conventions)).toEqual(expected.structures);
  const effectRows = await inboxCount(conventions, 'conventions.contracts-received');
  // The effect consumer applied each of the five contract events; a replay leaves its rows alone.
  expect(effectRows).toBe(5);

  await corrupt(conventions);
  expect(await structuresOf(conventions)).not.toEqual(expected.structures);
  expect((await contractsOf(conventions)).map((c) => c.miseEnRelationId)).toEqual([11, 12, 999]);

  const counts = await replayCopies(conventions, 'conventions', subgraphs.conventions.consumers ?? [], [source()]);
  expect(counts).toEqual({
    read: expected.events,
    deliveries: { applied: expected.events, duplicate: 0, parked: 0 },
    rows: { recruitment_structure: 2, recruitment_contract: 3 },
    inboxCleared: expected.events,
  });
  expect(await structuresOf(conventions)).toEqual(expected.structures);
  expect(await contractsOf(conventions)).toEqual(expected.contracts);
  // The effect is not run again: its inbox keeps its one row, and the copies' inbox one row per event.
  expect(await inboxCount(conventions, 'conventions.contracts-received')).toBe(effectRows);
  expect(await inboxCount(conventions, 'conventions.recruitment-structures')).toBe(3);
  expect(await inboxCount(conventions, 'conventions.recruitment-contracts')).toBe(5);
  return expected;
}

describe('without NATS: from the outbox tables', () => {
  let world: World | undefined;
  afterAll(() => closeWorld(world));

  test('a corrupted copy is rebuilt from the events, by the function and by npm run events:replay', async () => {
    world = await openWorld('conum_replay_outbox');
    const expected = await corruptAndReplay(world, FAST, () => outboxEvents(world!.recruitment, 3));

    await corrupt(world.conventions);
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: world.database.url, LOG_LEVEL: 'warn' };
    delete env.NATS_URL;
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/events-replay.ts', 'conventions'], { env });
    expect(stdout).toContain(`conventions: replayed ${expected.events} events of recruitment from the outbox tables`);
    expect(stdout).toContain(`deliveries: ${expected.events} applied, 0 duplicate, 0 parked`);
    expect(stdout).toContain('recruitment_contract: 3 rows');
    expect(await structuresOf(world.conventions)).toEqual(expected.structures);
    expect(await contractsOf(world.conventions)).toEqual(expected.contracts);
  });
});

describe('with NATS: from the JetStream stream', () => {
  let world: World | undefined;
  const prefix = `test_${randomUUID().slice(0, 8)}`;
  const names = natsNames(prefix);
  afterAll(async () => {
    const nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    for (const name of [names.stream('recruitment'), names.stream('conventions'), names.deadStream()])
      await jsm.streams.delete(name).catch(() => false);
    await nc.close();
    await closeWorld(world);
  });

  test('a corrupted copy is rebuilt from the stream, which keeps every event', async () => {
    world = await openWorld('conum_replay_nats');
    await corruptAndReplay(world, { ...FAST, natsUrl, prefix }, () => streamEvents(natsUrl, prefix, 'recruitment'));
    const nc = await connect({ servers: natsUrl });
    try {
      const { config, state } = await (await jetstreamManager(nc)).streams.info(names.stream('recruitment'));
      expect({ retention: config.retention, maxAge: config.max_age, maxMsgs: config.max_msgs, maxBytes: config.max_bytes }).toEqual({
        retention: 'limits',
        maxAge: 0,
        maxMsgs: -1,
        maxBytes: -1,
      });
      expect(state.messages).toBe(8);
    } finally {
      await nc.close();
    }
    // A stream that does not exist replays nothing.
    const none: unknown[] = [];
    for await (const event of streamEvents(natsUrl, `${prefix}_none`, 'recruitment')) none.push(event);
    expect(none).toEqual([]);
  });
});
