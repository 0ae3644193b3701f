/**
 * `npm run bench:chaos`: the whole system under load while its dependencies fail, phase by phase, on loopback only.
 * Dashboard users and partner keys ask one query that crosses the four subgraphs; meanwhile PostgreSQL ends every
 * connection, Redis (a private redis-server this script starts) hangs and then dies, and the training subgraph stops.
 * Prints, per phase, the requests answered, the HTTP statuses, the error codes, and whether the other subgraphs' data
 * still arrived. Bounded: five phases of PHASE_SECONDS (default 8) with 8 callers. Needs DATABASE_URL (a server:
 * PGlite has no backends to end) and `redis-server` on the PATH.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loadEnv } from '../../common/env.js';
import { SCOPES } from '../../common/viewer.js';
import { createTestDatabase, migrateAll } from '../support/database.js';
import { createCra } from '../support/factories/activity.js';
import { createConvention } from '../support/factories/conventions.js';
import { createConseiller, createStructure } from '../support/factories/recruitment.js';
import { createTrainingPath } from '../support/factories/training.js';
import { STRUCTURE_OVERVIEW } from '../support/queries.js';
import { startTestSystem, type GraphQLResponse } from '../support/system.js';

const PHASE_MS = Number(process.env.PHASE_SECONDS ?? 8) * 1000;
const CALLERS = 8;
const REDIS_PORT = Number(process.env.CHAOS_REDIS_PORT ?? 6391);
loadEnv(process.env, { DATABASE_URL: 'for the chaos run: it ends PostgreSQL backends' });

const database = await createTestDatabase('conum_chaos');
await migrateAll(database.url);
const redis = spawn('redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
  stdio: 'ignore',
});
await sleep(300);
const lifted = { capacity: 1e9, restoreRate: 1e9 };
const system = await startTestSystem({
  databaseUrl: database.url,
  limits: {
    redisUrl: `redis://127.0.0.1:${REDIS_PORT}`,
    buckets: { user: lifted, api_key: lifted },
    maxConcurrent: { user: 100, api_key: 100 },
  },
});
const admin = new pg.Client({ connectionString: database.url });
admin.on('error', () => undefined);
await admin.connect();

const structure = await createStructure(system.orms.recruitment);
const advisor = await createConseiller(system.orms.recruitment, { structureId: structure.id });
await createConvention(system.orms.conventions, { structureId: structure.id });
await createTrainingPath(system.orms.training, { conseillerId: advisor.id, hours: 280 });
await createCra(system.orms.activity, { conseillerId: advisor.id, structureId: structure.id, date: '2024-01-10' });
const { key } = await system.apiKeys.create({ name: 'chaos', scopes: [...SCOPES] });
const callers: Record<string, string>[] = await Promise.all(
  Array.from({ length: CALLERS }, async (_, i) =>
    i % 2 ? { authorization: `Bearer ${key}` } : await system.bearer({ sub: `chaos-${i}`, role: 'admin' }),
  ),
);

interface Tally {
  requests: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  /** Responses with the recruitment, conventions and activity fields of the structure. */
  othersComplete: number;
  latencies: number[];
}
const tally = (): Tally => ({ requests: 0, statuses: {}, codes: {}, othersComplete: 0, latencies: [] });
let current = tally();
let running = true;

async function ask(headers: Record<string, string>): Promise<void> {
  const started = performance.now();
  let status = 'no answer';
  let body: GraphQLResponse<{
    structure: { name: string; conventions: unknown[] | null; conseillers: { cras: unknown[] | null }[] } | null;
  }> = {};
  try {
    const res = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: STRUCTURE_OVERVIEW, variables: { id: String(structure.id) } }),
      signal: AbortSignal.timeout(15_000),
    });
    status = String(res.status);
    body = (await res.json()) as typeof body;
  } catch {
    // counted as 'no answer'
  }
  const t = current;
  t.requests++;
  t.latencies.push(performance.now() - started);
  t.statuses[status] = (t.statuses[status] ?? 0) + 1;
  for (const e of body.errors ?? []) {
    const code = String(e.extensions?.code ?? 'none');
    t.codes[code] = (t.codes[code] ?? 0) + 1;
  }
  const s = body.data?.structure;
  if (s?.name && s.conventions && s.conseillers.every((c) => c.cras)) t.othersComplete++;
}

const load = Promise.all(
  callers.map(async (headers) => {
    while (running) await ask(headers);
  }),
);

async function terminateBackends(): Promise<number> {
  const { rowCount } = await admin.query(
    'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  return rowCount ?? 0;
}

const phases: [string, () => Promise<void>][] = [
  ['steady', async () => {}],
  [
    'PostgreSQL ends every connection, twice',
    async () => {
      await terminateBackends();
      await sleep(PHASE_MS / 2);
      await terminateBackends();
    },
  ],
  [
    'Redis hung (SIGSTOP)',
    async () => {
      redis.kill('SIGSTOP');
    },
  ],
  [
    'Redis dead (SIGKILL)',
    async () => {
      redis.kill('SIGCONT');
      redis.kill('SIGKILL');
    },
  ],
  [
    'training subgraph stopped',
    async () => {
      await system.subgraphs.find((s) => s.name === 'training')!.stop();
    },
  ],
];

const report: Record<string, unknown>[] = [];
for (const [name, act] of phases) {
  current = tally();
  const started = Date.now();
  await act();
  await sleep(Math.max(0, PHASE_MS - (Date.now() - started)));
  const t = current;
  const sorted = [...t.latencies].sort((a, b) => a - b);
  report.push({
    phase: name,
    requests: t.requests,
    statuses: JSON.stringify(t.statuses),
    errorCodes: JSON.stringify(t.codes),
    'other subgraphs complete': `${t.othersComplete}/${t.requests}`,
    'p50 ms': Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
  });
}
running = false;
await load;
console.table(report);

await admin.end();
await system.stop().catch(() => undefined);
redis.kill('SIGKILL');
await database.drop();
