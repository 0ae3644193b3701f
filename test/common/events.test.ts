import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { z } from 'zod';
import type { MikroORM } from '../../common/db.js';
import { SUBGRAPH_NAMES } from '../../common/env.js';
import { startEventBus, type BusOptions, type EventNode } from '../../common/events/bus.js';
import { defineEvent, type EventEnvelope } from '../../common/events/event.js';
import { defineConsumer, deliver, InboxEntry } from '../../common/events/inbox.js';
import { natsNames } from '../../common/events/nats.js';
import { OutboxEvent } from '../../common/events/outbox.js';
import { openSubgraphOrm } from '../../common/server.js';
import { defineWriteSteps } from '../../common/steps.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';

/**
 * The event kit (common/events/): the outbox is written with the step's commit, the inbox applies an event once, a
 * poison event is parked, and both transports (in process, NATS JetStream at NATS_URL) deliver to the same consumer
 * code. Recruitment produces a test event; conventions consumes it into a probe table, one row per application.
 */

const ping = defineEvent({
  type: 'recruitment.test-ping',
  producer: 'recruitment',
  version: 1,
  payload: z.object({ n: z.number().int() }),
});

/** Aggregates whose handler must fail this many more times. */
const failures = new Map<string, number>();
const calls = new Map<string, number>();
/** Per aggregate, the most transactions of this database left open elsewhere while its handler ran. */
const openElsewhere = new Map<string, number>();

const probe = defineConsumer({
  name: 'conventions.test-probe',
  subgraph: 'conventions',
  events: [ping],
  async handle(tx, { n }, envelope) {
    calls.set(envelope.aggregateId, (calls.get(envelope.aggregateId) ?? 0) + 1);
    const [open] = await tx.execute<{ count: number }[]>(
      `select count(*)::int as count from pg_stat_activity
       where datname = current_database() and state like 'idle in transaction%' and pid <> pg_backend_pid()`,
    );
    openElsewhere.set(envelope.aggregateId, Math.max(openElsewhere.get(envelope.aggregateId) ?? 0, open?.count ?? 0));
    await tx.execute('insert into conventions.event_probe (event_id, aggregate_id, n) values (?, ?, ?)', [
      envelope.id,
      envelope.aggregateId,
      n,
    ]);
    const left = failures.get(envelope.aggregateId) ?? 0;
    if (left > 0) {
      failures.set(envelope.aggregateId, left - 1);
      throw new Error(`probe failure for ${envelope.aggregateId}`);
    }
  },
});

const { step } = defineWriteSteps({ ping: ['admin'] });

let database: TestDatabase;
let recruitment: MikroORM;
let conventions: MikroORM;

beforeAll(async () => {
  database = await createTestDatabase('conum_events', { migrated: true });
  recruitment = await openSubgraphOrm(subgraphs.recruitment, database.url, 4);
  conventions = await openSubgraphOrm(subgraphs.conventions, database.url, 4);
  await recruitment.migrator.up();
  await conventions.migrator.up();
  await conventions.em
    .fork()
    .execute(
      'create table conventions.event_probe (event_id uuid not null, aggregate_id text not null, n int not null, at timestamptz default clock_timestamp())',
    );
});

afterAll(async () => {
  await recruitment.close();
  await conventions.close();
  await database.drop();
});

const producer = (): EventNode => ({ name: 'recruitment', orm: recruitment, consumers: [] });
const consumer = (): EventNode => ({ name: 'conventions', orm: conventions, consumers: [probe] });
const FAST: BusOptions = { backoffMs: 20, pollMs: 20, maxDeliver: 3 };

/** Emits pings for `aggregate` from a write step, one per number. */
function emit(aggregate: string, ...numbers: number[]): Promise<void> {
  return step(recruitment.em.fork(), SYSTEM_ADMIN, 'ping', async ({ emit, unscoped }) => {
    unscoped('a test step');
    for (const n of numbers) emit(ping, aggregate, { n });
  });
}

async function applied(aggregate: string): Promise<number[]> {
  const rows = await conventions.em
    .fork()
    .execute<{ n: number }[]>('select n from conventions.event_probe where aggregate_id = ? order by at', [aggregate]);
  return rows.map((r) => r.n);
}

const outboxOf = (aggregate: string) => recruitment.em.fork().find(OutboxEvent, { aggregateId: aggregate }, { orderBy: { seq: 'asc' } });
const inboxOf = (aggregate: string) => conventions.em.fork().find(InboxEntry, { aggregateId: aggregate }, { orderBy: { id: 'asc' } });

describe('outbox', () => {
  test('an emitted event is written with the step commit, and not at all when the step rolls back', async () => {
    const committed = `commit-${randomUUID()}`;
    await emit(committed, 1, 2);
    const rows = await outboxOf(committed);
    expect(rows.map((r) => [r.type, r.version, (r.payload as { n: number }).n, r.publishedAt])).toEqual([
      ['recruitment.test-ping', 1, 1, null],
      ['recruitment.test-ping', 1, 2, null],
    ]);
    expect(rows[0]!.eventId).toMatch(/^[0-9a-f-]{36}$/);

    const rolledBack = `rollback-${randomUUID()}`;
    await expect(
      step(recruitment.em.fork(), SYSTEM_ADMIN, 'ping', async ({ emit, unscoped }) => {
        unscoped('a test step');
        emit(ping, rolledBack, { n: 1 });
        throw new Error('the step fails after emitting');
      }),
    ).rejects.toThrow('the step fails after emitting');
    expect(await outboxOf(rolledBack)).toEqual([]);
  });

  test('a producer cannot emit a payload its event type does not declare', async () => {
    const aggregate = `invalid-${randomUUID()}`;
    await expect(emit(aggregate, 1.5)).rejects.toThrow(/expected int/i);
    expect(await outboxOf(aggregate)).toEqual([]);
  });
});

describe('inbox', () => {
  const envelope = (aggregate: string, payload: unknown): EventEnvelope => ({
    id: randomUUID(),
    type: ping.type,
    version: 1,
    aggregateId: aggregate,
    occurredAt: new Date().toISOString(),
    payload,
  });

  test('an event delivered three times, twice at once, is applied once', async () => {
    const aggregate = `dup-${randomUUID()}`;
    const event = envelope(aggregate, { n: 7 });
    const results = await Promise.all([deliver(conventions.em, probe, event), deliver(conventions.em, probe, event)]);
    expect(results.sort()).toEqual(['applied', 'duplicate']);
    expect(await deliver(conventions.em, probe, event)).toBe('duplicate');
    expect(await applied(aggregate)).toEqual([7]);
    expect((await inboxOf(aggregate)).map((e) => [e.eventId, e.appliedAt !== null, e.parkedAt])).toEqual([[event.id, true, null]]);
  });

  test('an event that fails its schema is parked with the error, once', async () => {
    const aggregate = `poison-${randomUUID()}`;
    const event = envelope(aggregate, { n: 'seven' });
    expect(await deliver(conventions.em, probe, event)).toBe('parked');
    expect(await deliver(conventions.em, probe, event)).toBe('duplicate');
    const [entry] = await inboxOf(aggregate);
    expect(entry).toMatchObject({ appliedAt: null, event: { payload: { n: 'seven' } } });
    expect(entry!.error).toMatch(/invalid payload/);
    expect(await applied(aggregate)).toEqual([]);
    expect(await deliver(conventions.em, probe, { ...event, id: randomUUID(), version: 2 })).toBe('parked');
  });

  test('a handler failure rolls back its effect and its inbox row', async () => {
    const aggregate = `fail-${randomUUID()}`;
    failures.set(aggregate, 1);
    const event = envelope(aggregate, { n: 1 });
    await expect(deliver(conventions.em, probe, event)).rejects.toThrow('probe failure');
    expect(await inboxOf(aggregate)).toEqual([]);
    expect(await applied(aggregate)).toEqual([]);
    expect(await deliver(conventions.em, probe, event)).toBe('applied');
    expect(await applied(aggregate)).toEqual([1]);
  });
});

describe('in-process relay', () => {
  test('delivers each outbox in order, stamps it, parks a poison event and an event that keeps failing, and goes on', async () => {
    const aggregate = `local-${randomUUID()}`;
    const failing = `local-failing-${randomUUID()}`;
    failures.set(failing, 100);
    await emit(aggregate, 1, 2);
    // A poison row, as an older or broken producer could have written it.
    await recruitment.em.fork().transactional(async (tx) => {
      tx.create(OutboxEvent, {
        eventId: randomUUID(),
        type: ping.type,
        version: 1,
        aggregateId: aggregate,
        occurredAt: new Date(),
        payload: { n: 'x' },
      });
    });
    await emit(failing, 9);
    await emit(aggregate, 3);
    const bus = await startEventBus([producer(), consumer()], FAST);
    try {
      expect(bus.transport).toBe('in-process');
      await eventually(async () => expect(await applied(aggregate)).toEqual([1, 2, 3]));
      const inbox = await inboxOf(aggregate);
      expect(inbox.map((e) => (e.parkedAt ? 'parked' : 'applied'))).toEqual(['applied', 'applied', 'parked', 'applied']);
      expect(inbox[2]!.error).toMatch(/invalid payload/);
      const [parked] = await inboxOf(failing);
      expect(parked).toMatchObject({ appliedAt: null, error: `probe failure for ${failing}` });
      expect(calls.get(failing)).toBe(FAST.maxDeliver);
      await eventually(async () => expect((await outboxOf(aggregate)).every((r) => r.publishedAt)).toBe(true));
      // The relay holds no transaction while the consumers run: an embedded PGlite, one transaction at a time, would
      // otherwise wait for ever.
      expect(openElsewhere.get(aggregate)).toBe(0);
    } finally {
      await bus.stop();
    }
  });
});

describe('NATS JetStream relay', () => {
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const prefix = `test_${randomUUID().slice(0, 8)}`;
  const names = natsNames(prefix);
  const options: BusOptions = { ...FAST, natsUrl, prefix };

  afterAll(async () => {
    const nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    for (const name of [...SUBGRAPH_NAMES.map(names.stream), names.deadStream()]) await jsm.streams.delete(name).catch(() => false);
    await nc.close();
  });

  /** Only this file's outbox rows are relayed: the ones the test at hand wrote are the unpublished ones. */
  test('delivers, redelivers after a handler failure, applies once', async () => {
    const aggregate = `nats-${randomUUID()}`;
    const flaky = `nats-flaky-${randomUUID()}`;
    failures.set(flaky, 2);
    await emit(aggregate, 1, 2);
    await emit(flaky, 5);
    const bus = await startEventBus([producer(), consumer()], options);
    try {
      expect(bus.transport).toBe('nats');
      await eventually(async () => expect(await applied(aggregate)).toEqual([1, 2]));
      await eventually(async () => expect(await applied(flaky)).toEqual([5]));
      expect(calls.get(flaky)).toBe(3);
      expect((await inboxOf(flaky)).map((e) => e.appliedAt !== null)).toEqual([true]);
    } finally {
      await bus.stop();
    }
  });

  test('parks and dead-letters an event after N deliveries, and the stream goes on', async () => {
    const doomed = `nats-doomed-${randomUUID()}`;
    const after = `nats-after-${randomUUID()}`;
    failures.set(doomed, 100);
    await emit(doomed, 1);
    await emit(after, 2);
    const bus = await startEventBus([producer(), consumer()], options);
    try {
      await eventually(async () => expect(await applied(after)).toEqual([2]));
      const [parked] = await inboxOf(doomed);
      expect(parked).toMatchObject({ appliedAt: null, error: `probe failure for ${doomed}` });
      expect(calls.get(doomed)).toBe(FAST.maxDeliver);
      const nc = await connect({ servers: natsUrl });
      try {
        const dead = await (await jetstreamManager(nc)).streams.getMessage(names.deadStream(), { last_by_subj: names.dead('conventions') });
        expect(dead?.json<EventEnvelope>()).toMatchObject({ aggregateId: doomed });
        expect(dead?.header.get('Conum-Error')).toBe(`probe failure for ${doomed}`);
      } finally {
        await nc.close();
      }
    } finally {
      await bus.stop();
    }
  });

  test('a consumer stopped while events are published catches up when restarted, applying nothing twice', async () => {
    const aggregate = `nats-restart-${randomUUID()}`;
    const relay = await startEventBus([producer()], options);
    let consuming = await startEventBus([consumer()], { ...options, relay: [] });
    try {
      await emit(aggregate, 1);
      await eventually(async () => expect(await applied(aggregate)).toEqual([1]));
      await consuming.stop();
      await emit(aggregate, 2, 3);
      await eventually(async () => expect((await outboxOf(aggregate)).every((r) => r.publishedAt)).toBe(true));
      expect(await applied(aggregate)).toEqual([1]);
      consuming = await startEventBus([consumer()], { ...options, relay: [] });
      await eventually(async () => expect(await applied(aggregate)).toEqual([1, 2, 3]));
      expect((await inboxOf(aggregate)).length).toBe(3);
    } finally {
      await consuming.stop();
      await relay.stop();
    }
  });
});
