/**
 * npm run bench:events [-- --rate 5 --seconds 20]
 *
 * The whole system (four subgraphs over HTTP, the event bus as `npm start` runs it, default options) under a write
 * load: `rate` recruitment journeys a second for `seconds` — recruit a candidate, validate the recruitment, declare a
 * rupture, validate it, four mutations sent to the recruitment subgraph as the gateway sends them — on each
 * transport (in process, then NATS JetStream at NATS_URL when set), each on a throwaway database of its own. It
 * measures whatever those steps emit. Once the outboxes are empty and the inboxes still, prints the events emitted
 * and their rate, the mutations' latency, and each consumer's lag from commit to applied (p50 / p99 / max) as the
 * subgraphs serve it at GET /events. Needs DATABASE_URL (a PostgreSQL server). Prints figures; asserts nothing.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { loadEnv, SUBGRAPH_NAMES } from '../../common/env.js';
import type { EventFigures } from '../../common/events/figures.js';
import { InboxEntry } from '../../common/events/inbox.js';
import { natsNames } from '../../common/events/nats.js';
import { OutboxEvent } from '../../common/events/outbox.js';
import { createTestDatabase, migrateAll } from '../support/database.js';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '5' }, seconds: { type: 'string', default: '20' } } });
const rate = Number(values.rate);
const seconds = Number(values.seconds);
process.env.LOG_LEVEL ??= 'warn';
const env = loadEnv(process.env, {
  DATABASE_URL: 'for the events benchmark: a throwaway database per transport is created on that server',
});

const JOURNEY = [
  `mutation ($id: ID!) { recruitCandidate(input: { miseEnRelationId: $id, contract: { type: CDD, startDate: "2025-01-06", endDate: "2026-01-05", grossMonthlySalaryCents: 190000 } }) { miseEnRelation { status } } }`,
  `mutation ($id: ID!) { validateRecruitment(input: { miseEnRelationId: $id }) { miseEnRelation { status } } }`,
  `mutation ($id: ID!) { declareRupture(input: { miseEnRelationId: $id, date: "2025-06-30", reason: DEMISSION }) { miseEnRelation { status } } }`,
  `mutation ($id: ID!) { validateRupture(input: { miseEnRelationId: $id }) { miseEnRelation { status } } }`,
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (s: number | null) => (s === null ? '—' : `${Math.round(s * 1000)} ms`);

async function count(system: TestSystem, what: 'unpublished' | 'emitted' | 'inbox'): Promise<number> {
  let total = 0;
  for (const name of SUBGRAPH_NAMES) {
    const em = system.orms[name].em.fork();
    if (what === 'inbox') total += await em.count(InboxEntry, {});
    else total += await em.count(OutboxEvent, what === 'unpublished' ? { publishedAt: null } : {});
  }
  return total;
}

async function run(transport: 'in-process' | 'nats', natsUrl?: string) {
  const database = await createTestDatabase(`conum_bench_events_${transport.replace('-', '_')}`);
  await migrateAll(database.url);
  const prefix = `bench_${randomUUID().slice(0, 8)}`;
  const system = await startTestSystem({ databaseUrl: database.url, poolMax: 8, events: natsUrl ? { natsUrl, prefix } : {} });
  try {
    const journeys = Math.round(rate * seconds);
    const ids: number[] = [];
    for (let i = 0; i < journeys; i++) {
      const structure = await createStructure(system.orms.recruitment, { postQuota: 1 });
      const candidate = await createConseiller(system.orms.recruitment);
      ids.push(
        (
          await createMiseEnRelation(system.orms.recruitment, {
            structureId: structure.id,
            conseillerId: candidate.id,
            status: 'INTERESSEE',
          })
        ).id,
      );
    }
    const latencies: number[] = [];
    const failures = new Map<string, number>();
    const journey = async (id: number) => {
      for (const mutation of JOURNEY) {
        const started = performance.now();
        const response = await system.querySubgraph('recruitment', mutation, { id: String(id) });
        latencies.push(performance.now() - started);
        const error = response.errors?.[0];
        if (error) {
          const key = `${String(error.extensions?.code)} ${error.message}`.slice(0, 120);
          failures.set(key, (failures.get(key) ?? 0) + 1);
          return;
        }
      }
    };
    // Open loop: a journey starts every 1/rate s, whether the previous ones finished or not.
    const started = performance.now();
    const running: Promise<void>[] = [];
    for (let i = 0; i < journeys; i++) {
      const due = started + (i * 1000) / rate;
      await sleep(Math.max(0, due - performance.now()));
      running.push(journey(ids[i]!));
    }
    await Promise.all(running);
    const loadSeconds = (performance.now() - started) / 1000;
    // Settled: every outbox published and the inboxes unchanged for a second.
    let inbox = -1;
    for (;;) {
      const now = await count(system, 'inbox');
      if ((await count(system, 'unpublished')) === 0 && now === inbox) break;
      inbox = now;
      await sleep(1000);
    }
    const emitted = await count(system, 'emitted');
    latencies.sort((a, b) => a - b);
    console.log(`\n${transport}: ${journeys} journeys in ${loadSeconds.toFixed(1)} s (${rate}/s), ${latencies.length} mutations`);
    // The machine's other work counts in every figure below: a loaded machine's lag is not the bus's.
    console.log(`  load average (1 min) at the end: ${loadavg()[0]!.toFixed(1)}`);
    console.log(`  mutation latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`);
    for (const [error, n] of failures) console.log(`  failed journeys: ${n} × ${error}`);
    console.log(`  events emitted: ${emitted} (${(emitted / loadSeconds).toFixed(1)} events/s)`);
    console.log(
      `  ${'consumer'.padEnd(40)} ${'applied'.padStart(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)} parked`,
    );
    for (const subgraph of system.subgraphs) {
      const res = await fetch(subgraph.url.replace(/\/graphql$/, '/events?minutes=10'));
      const figures = (await res.json()) as EventFigures;
      for (const c of figures.consumers)
        console.log(
          `  ${c.consumer.padEnd(40)} ${String(c.applied).padStart(8)} ${ms(c.lagP50).padStart(8)} ${ms(c.lagP99).padStart(8)} ${ms(c.lagMax).padStart(8)} ${c.parked}`,
        );
    }
  } finally {
    await system.stop();
    await database.drop();
    if (natsUrl) {
      const nc = await connect({ servers: natsUrl });
      const jsm = await jetstreamManager(nc);
      const names = natsNames(prefix);
      for (const name of [...SUBGRAPH_NAMES.map(names.stream), names.deadStream()]) await jsm.streams.delete(name).catch(() => false);
      await nc.close();
    }
  }
}

await run('in-process');
if (env.NATS_URL) await run('nats', env.NATS_URL);
else console.log('\nNATS_URL unset: the JetStream transport is not measured.');
