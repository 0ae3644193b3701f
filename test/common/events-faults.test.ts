import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { z } from 'zod';
import type { MikroORM } from '../../common/db.js';
import { startEventBus, type BusOptions, type EventBus, type EventNode } from '../../common/events/bus.js';
import { structureDecided, type StructureState } from '../../common/events/catalogue.js';
import { copyConsumers, RecruitmentStructure, structureStateOfCopy } from '../../common/events/copies.js';
import { defineEvent, type EventEnvelope } from '../../common/events/event.js';
import { defineConsumer, InboxEntry } from '../../common/events/inbox.js';
import { natsNames } from '../../common/events/nats.js';
import { OutboxEvent } from '../../common/events/outbox.js';
import { openSubgraphOrm } from '../../common/server.js';
import { defineWriteSteps } from '../../common/steps.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';
import { structureState } from '../support/events.js';

/**
 * Faults of the event bus (issue 14), on real PostgreSQL and, for NATS, a nats-server this file starts on a port
 * and a store directory of its own, so stopping it disturbs no other test: a consumer stopped while events flow, the
 * NATS server stopped and restarted, an event delivered three times, a poison event, and one aggregate's events
 * applied in order although the first is redelivered. Recruitment emits a probe event; conventions applies it into
 * a probe table (one row per application: the effect counted) and, in one case, keeps its real copy of structures.
 */

/** Debian's nats-server package installs it here; NATS_SERVER_BIN points elsewhere. */
const NATS_SERVER = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
const natsAvailable = existsSync(NATS_SERVER);

const ping = defineEvent({
  type: 'recruitment.fault-ping',
  producer: 'recruitment',
  version: 1,
  payload: z.object({ n: z.number().int() }),
});

/** Aggregates whose handler must fail this many more times. */
const failures = new Map<string, number>();

const probe = defineConsumer({
  name: 'conventions.fault-probe',
  subgraph: 'conventions',
  events: [ping],
  async handle(tx, { n }, envelope) {
    await tx.execute('insert into conventions.fault_probe (event_id, aggregate_id, n) values (?, ?, ?)', [
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
const FAST: BusOptions = { backoffMs: 20, pollMs: 20, maxDeliver: 3 };

let database: TestDatabase;
let recruitment: MikroORM;
let conventions: MikroORM;

beforeAll(async () => {
  database = await createTestDatabase('conum_event_faults', { migrated: true });
  recruitment = await openSubgraphOrm(subgraphs.recruitment, database.url, 4);
  conventions = await openSubgraphOrm(subgraphs.conventions, database.url, 4);
  await recruitment.migrator.up();
  await conventions.migrator.up();
  await conventions.em
    .fork()
    .execute(
      'create table conventions.fault_probe (id serial primary key, event_id uuid not null, aggregate_id text not null, n int not null)',
    );
});

afterAll(async () => {
  await recruitment?.close();
  await conventions?.close();
  await database?.drop();
});

const producer = (): EventNode => ({ name: 'recruitment', orm: recruitment, consumers: [] });
const consumer = (...extra: EventNode['consumers']): EventNode => ({ name: 'conventions', orm: conventions, consumers: [probe, ...extra] });

function emit(aggregate: string, ...numbers: number[]): Promise<void> {
  return step(recruitment.em.fork(), SYSTEM_ADMIN, 'ping', async ({ emit, unscoped }) => {
    unscoped('a test step');
    for (const n of numbers) emit(ping, aggregate, { n });
  });
}

/** The numbers applied for `aggregate`, in the order they were applied (the probe's serial). */
async function applied(aggregate: string): Promise<number[]> {
  const rows = await conventions.em
    .fork()
    .execute<{ n: number }[]>('select n from conventions.fault_probe where aggregate_id = ? order by id', [aggregate]);
  return rows.map((r) => r.n);
}

const inboxOf = (aggregate: string) => conventions.em.fork().find(InboxEntry, { aggregateId: aggregate }, { orderBy: { id: 'asc' } });
const unpublished = () => recruitment.em.fork().count(OutboxEvent, { publishedAt: null });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A nats-server with JetStream on a free port and a store of its own; `stop` and `start` keep the store. */
class NatsServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'conum-nats-'));
  port = 0;
  private child?: ChildProcess;

  get url() {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    this.child = spawn(NATS_SERVER, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.dir], { stdio: 'ignore' });
    await eventually(() => reachable(this.port), 15_000);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    this.child = undefined;
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function reachable(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('connect', () => (socket.destroy(), resolve()));
    socket.once('error', (error) => (socket.destroy(), reject(error)));
    socket.connect(port, '127.0.0.1');
  });
}

const nats = natsAvailable ? new NatsServer() : undefined;
if (nats) {
  beforeAll(() => nats.start());
  afterAll(() => nats.remove());
}

/** The transports under test: in process always, the file's own NATS when the binary is installed. */
const transports: [string, () => BusOptions][] = [['in-process', () => FAST]];
if (natsAvailable) transports.push(['NATS', () => ({ ...FAST, natsUrl: nats!.url, prefix: `fault_${randomUUID().slice(0, 8)}` })]);
const describeNats = natsAvailable ? describe : describe.skip;
const skipReason = natsAvailable ? '' : ` (skipped: ${NATS_SERVER} is not installed; install the nats-server package)`;

describe.each(transports)('%s', (_name, busOptions) => {
  test('(a) a consumer stopped while events flow and started again loses nothing and applies nothing twice', async () => {
    const options = busOptions();
    const aggregates = range(1, 4).map((i) => `killed-${i}-${randomUUID()}`);
    const nats = Boolean(options.natsUrl);
    // On NATS the relay is a process of its own and only the consumer stops; in process they are one bus.
    const relay = nats ? await startEventBus([producer()], options) : undefined;
    const start = () => startEventBus(nats ? [consumer()] : [producer(), consumer()], nats ? { ...options, relay: [] } : options);
    let bus: EventBus = await start();
    let flowing = true;
    const writer = (async () => {
      for (let n = 1; n <= 40; n++) {
        await Promise.all(aggregates.map((a) => emit(a, n)));
        await new Promise((resolve) => setTimeout(resolve, 25));
        if (n === 40) flowing = false;
      }
    })();
    try {
      await eventually(async () => expect((await applied(aggregates[0]!)).length).toBeGreaterThanOrEqual(5));
      expect(flowing).toBe(true);
      await bus.stop();
      const atStop = (await applied(aggregates[0]!)).length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await applied(aggregates[0]!)).length).toBe(atStop);
      bus = await start();
      await writer;
      for (const aggregate of aggregates) {
        await eventually(async () => expect(await applied(aggregate)).toEqual(range(1, 40)));
        expect((await inboxOf(aggregate)).filter((e) => e.appliedAt).length).toBe(40);
      }
    } finally {
      await writer.catch(() => undefined);
      await bus.stop();
      await relay?.stop();
    }
  });

  test('(d) a poison event is parked with its error and the next event applies', async () => {
    const options = busOptions();
    const aggregate = `poison-${randomUUID()}`;
    await emit(aggregate, 1);
    // Written as a broken producer could have: the schema says n is an integer.
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
    await emit(aggregate, 3);
    const bus = await startEventBus([producer(), consumer()], options);
    try {
      await eventually(async () => expect(await applied(aggregate)).toEqual([1, 3]));
      const inbox = await inboxOf(aggregate);
      expect(inbox.map((e) => (e.parkedAt ? 'parked' : 'applied'))).toEqual(['applied', 'parked', 'applied']);
      expect(inbox[1]!.error).toMatch(/invalid payload/);
      expect(inbox[1]!.event).toMatchObject({ payload: { n: 'x' } });
    } finally {
      await bus.stop();
    }
  });

  test('(e) one aggregate applies in order although its first event fails its first delivery', async () => {
    const options = busOptions();
    const aggregate = `ordered-${randomUUID()}`;
    failures.set(aggregate, 1);
    await emit(aggregate, 1);
    await emit(aggregate, 2);
    await emit(aggregate, 3);
    const bus = await startEventBus([producer(), consumer()], options);
    try {
      // The failed attempt is rolled back with its probe row: what remains is the order of the applications.
      await eventually(async () => expect(await applied(aggregate)).toEqual([1, 2, 3]));
      expect(failures.get(aggregate)).toBe(0);
      expect((await inboxOf(aggregate)).map((e) => e.appliedAt !== null)).toEqual([true, true, true]);
    } finally {
      await bus.stop();
    }
  });
});

describeNats(`NATS faults${skipReason}`, () => {
  const options = () => ({ ...FAST, natsUrl: nats!.url, prefix: `fault_${randomUUID().slice(0, 8)}` });

  test('(b) NATS stopped: the outbox holds the events; restarted: the relay resumes and each arrives once, copies included', async () => {
    const bus = await startEventBus([producer(), consumer(...copyConsumers('conventions', { structures: true }))], options());
    const aggregate = `restart-${randomUUID()}`;
    const structure = (advisorPosts: number): StructureState => structureState({ structureId: 7, advisorPosts });
    const emitStructure = (advisorPosts: number) =>
      step(recruitment.em.fork(), SYSTEM_ADMIN, 'ping', async ({ emit, unscoped }) => {
        unscoped('a test step');
        emit(structureDecided, 7, structure(advisorPosts));
      });
    const copy = async () => {
      const row = await conventions.em.fork().findOne(RecruitmentStructure, 7);
      return row && structureStateOfCopy(row);
    };
    try {
      await emit(aggregate, 1, 2);
      await emitStructure(1);
      await eventually(async () => expect(await applied(aggregate)).toEqual([1, 2]));
      await eventually(async () => expect(await copy()).toEqual(structure(1)));

      const before = await unpublished();
      await nats!.stop();
      await emit(aggregate, 3, 4);
      await emitStructure(2);
      await emitStructure(3);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // Nothing could be published: the events wait in the outbox, and the process is still here to retry.
      expect(await unpublished()).toBe(before + 4);
      expect(await applied(aggregate)).toEqual([1, 2]);

      await nats!.start();
      await eventually(async () => expect(await applied(aggregate)).toEqual([1, 2, 3, 4]));
      await eventually(async () => expect(await copy()).toEqual(structure(3)));
      await eventually(async () => expect(await unpublished()).toBe(0));
      expect((await inboxOf(aggregate)).filter((e) => e.appliedAt).length).toBe(4);
      expect(await conventions.em.fork().count(InboxEntry, { consumer: 'conventions.recruitment-structures', aggregateId: '7' })).toBe(3);
    } finally {
      await bus.stop();
    }
  });

  test('(c) an event in the stream three times (a producer that republished it) changes state once', async () => {
    const opts = options();
    const bus = await startEventBus([producer(), consumer()], opts);
    const nc = await connect({ servers: nats!.url });
    const aggregate = `thrice-${randomUUID()}`;
    try {
      // The stream exists once the bus started; no msgID, so the stream keeps the three copies.
      const envelope: EventEnvelope = {
        id: randomUUID(),
        type: ping.type,
        version: 1,
        aggregateId: aggregate,
        occurredAt: new Date().toISOString(),
        payload: { n: 7 },
      };
      const js = jetstream(nc);
      for (let i = 0; i < 3; i++) await js.publish(natsNames(opts.prefix).subject(ping.type), JSON.stringify(envelope));
      await emit(aggregate, 8);
      await eventually(async () => expect(await applied(aggregate)).toEqual([7, 8]));
      expect((await inboxOf(aggregate)).map((e) => e.eventId)).toEqual([envelope.id, expect.any(String)]);
    } finally {
      await nc.close();
      await bus.stop();
    }
  });

  test('(d) an unreadable message (not JSON, not an envelope) is parked with its error and the stream goes on', async () => {
    const opts = options();
    const bus = await startEventBus([producer(), consumer()], opts);
    const nc = await connect({ servers: nats!.url });
    const aggregate = `unreadable-${randomUUID()}`;
    try {
      const js = jetstream(nc);
      const subject = natsNames(opts.prefix).subject(ping.type);
      const first = await js.publish(subject, 'not json at all');
      const second = await js.publish(subject, '42');
      await emit(aggregate, 5);
      await eventually(async () => expect(await applied(aggregate)).toEqual([5]));
      const parked = await conventions.em
        .fork()
        .find(InboxEntry, { aggregateId: { $in: [first, second].map((ack) => `${ack.stream}:${ack.seq}`) } });
      expect(parked.map((e) => [e.parkedAt !== null, e.error?.startsWith('invalid envelope')])).toEqual([
        [true, true],
        [true, true],
      ]);
    } finally {
      await nc.close();
      await bus.stop();
    }
  });
});
