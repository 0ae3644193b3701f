/**
 * npm run bench [-- --concurrency 8 --seconds 10]
 *
 * Starts the whole system on DATABASE_URL (the data set in it: demo, or national after `npm run data:generate`),
 * then for each operation of the mix (test/bench/operations.ts) prints: requests per second at fixed concurrency,
 * p50/p95/p99 latency, SQL statements per operation, and memory; and runs the same operations directly against the
 * subgraphs (replaying the subgraph calls the gateway made) to print the gateway's overhead as a ratio. Results are
 * also written as JSON under bench-results/ (git-ignored) to compare commits. Prints figures; asserts nothing.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadEnv } from '../../subgraphs/common/env.js';
import { prepareDatabase } from '../../subgraphs/common/server.js';
import { openSubgraphOrm } from '../../subgraphs/common/server.js';
import { signViewer, VIEWER_HEADER, type Viewer } from '../../subgraphs/common/viewer.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { countStatements } from '../support/sql-counter.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { OPERATIONS, type BenchState, type Operation } from './operations.js';

const { values } = parseArgs({ options: { concurrency: { type: 'string', default: '8' }, seconds: { type: 'string', default: '10' } } });
const concurrency = Number(values.concurrency);
const seconds = Number(values.seconds);
process.env.LOG_LEVEL ??= 'warn';

const env = loadEnv();
if (!env.DATABASE_URL) {
  console.error('Set DATABASE_URL: the benchmark runs on a PostgreSQL server (e.g. postgresql://postgres@127.0.0.1:5432/conum).');
  process.exit(2);
}

// Migrate, and seed the demo set into empty subgraphs, so the benchmark runs on a fresh database too.
for (const definition of Object.values(subgraphs)) {
  const orm = await openSubgraphOrm(definition, env.DATABASE_URL);
  await prepareDatabase(definition, orm, true);
  await orm.close();
}

const system: TestSystem = await startTestSystem({
  databaseUrl: env.DATABASE_URL,
  poolMax: 10,
  // The benchmark measures throughput, not the per-caller budgets.
  limits: { buckets: { api_key: { capacity: 1e12, restoreRate: 1e12 }, user: { capacity: 1e12, restoreRate: 1e12 }, anonymous: { capacity: 1e12, restoreRate: 1e12 } } },
});

const recruitment = system.orms.recruitment.em.getConnection();
const [busiest] = await recruitment.execute<{ departement_code: string }[]>(
  `select departement_code from recruitment.structure group by departement_code order by count(*) desc limit 1`,
);
const structureRows = await recruitment.execute<{ id: number }[]>(
  `select s.id from recruitment.structure s where exists (select 1 from recruitment.conseiller c where c.structure_id = s.id) order by s.id limit 200`,
);
const state: BenchState = { departementCode: busiest?.departement_code ?? '13', structureIds: structureRows.map((r) => r.id), cursor: null };
const partnerKey = await system.apiKeys.create({ name: 'benchmark', scopes: ['structures:read'], expiresInDays: 1 });
const headers: Record<Operation['caller'], Record<string, string>> = {
  admin: await system.bearer({ sub: 'bench-admin', role: 'admin' }),
  prefet: await system.bearer({ sub: 'bench-prefet', role: 'prefet', departements: [state.departementCode] }),
  structure: await system.bearer({ sub: 'bench-structure', role: 'structure', structure_ids: state.structureIds }),
  partner: { authorization: `Bearer ${partnerKey.key}` },
};

// Records the subgraph calls the gateway makes, to replay them directly.
const subgraphUrls = new Set(system.subgraphs.map((s) => s.url));
let recording: { url: string; body: string; viewer: Viewer }[] | null = null;
const realFetch = globalThis.fetch;
globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const url = String(input);
  if (recording && subgraphUrls.has(url)) {
    const viewerHeader = new Headers(init?.headers).get(VIEWER_HEADER);
    recording.push({ url, body: String(init?.body), viewer: JSON.parse(Buffer.from(viewerHeader ?? '', 'base64url').toString() || 'null') });
  }
  return realFetch(input, init);
}) as typeof fetch;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const round = (n: number) => Math.round(n * 100) / 100;

async function load(run: (i: number) => Promise<void>): Promise<{ rps: number; p50: number; p95: number; p99: number; requests: number }> {
  const latencies: number[] = [];
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const i = next++;
        const t = performance.now();
        await run(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: round(latencies.length / elapsed), p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), p99: round(percentile(latencies, 99)), requests: latencies.length };
}

async function viaGateway(operation: Operation, i: number, extra: Record<string, unknown> = {}) {
  const response = await system.query(operation.query, { ...operation.variables(i, state), ...extra }, headers[operation.caller]);
  if (response.errors?.length) throw new Error(`${operation.name}: ${response.errors.map((e) => `${e.extensions?.code} ${e.message}`).join('; ')}`);
  operation.after?.(response.data, state);
}

const results = [];
for (const operation of OPERATIONS) {
  state.cursor = null;
  await viaGateway(operation, 0); // warm-up (query plan, caches)
  state.cursor = null;
  recording = [];
  const counted = await countStatements(Object.values(system.orms), () => viaGateway(operation, 0));
  const calls = recording;
  recording = null;
  state.cursor = null;
  // Statements must not grow with the page size: the same operation at a small and at a large page.
  let perPageSize: Record<number, number> | undefined;
  if (operation.pageVariable) {
    perPageSize = {};
    for (const size of [5, 100]) {
      state.cursor = null;
      perPageSize[size] = (await countStatements(Object.values(system.orms), () => viaGateway(operation, 0, { [operation.pageVariable!]: size }))).total;
    }
  }
  state.cursor = null;
  const gateway = await load((i) => viaGateway(operation, i));
  const direct = await load(async () => {
    for (const call of calls) {
      const res = await realFetch(call.url, { method: 'POST', headers: { 'content-type': 'application/json', ...signViewer(call.viewer, system.gatewaySecret) }, body: call.body });
      await res.text();
    }
  });
  const memory = process.memoryUsage();
  const result = {
    operation: operation.name,
    concurrency,
    gateway,
    direct: { ...direct, subgraphCalls: calls.length },
    overheadRatioP50: round(gateway.p50 / direct.p50),
    sqlStatements: counted.total,
    ...(perPageSize && { sqlStatementsByPageSize: perPageSize }),
    memoryMb: { rss: round(memory.rss / 2 ** 20), heapUsed: round(memory.heapUsed / 2 ** 20) },
  };
  results.push(result);
  console.log(
    `\n${operation.name}\n  gateway: ${gateway.rps} req/s  p50 ${gateway.p50} ms  p95 ${gateway.p95} ms  p99 ${gateway.p99} ms  (${gateway.requests} requests, concurrency ${concurrency})` +
      `\n  direct:  ${direct.rps} req/s  p50 ${direct.p50} ms  p95 ${direct.p95} ms  (${calls.length} subgraph calls replayed in sequence)` +
      `\n  gateway/direct p50: ${result.overheadRatioP50}×   SQL statements per operation: ${counted.total}` +
      (perPageSize ? ` (page of 5: ${perPageSize[5]}, page of 100: ${perPageSize[100]})` : '') +
      `   memory: rss ${result.memoryMb.rss} MB, heap ${result.memoryMb.heapUsed} MB`,
  );
}

await system.apiKeys.revoke(partnerKey.record.id, 'benchmark finished');
await system.stop();
const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
mkdirSync('bench-results', { recursive: true });
const file = `bench-results/${new Date().toISOString().replace(/[:.]/g, '-')}-${commit}.json`;
writeFileSync(file, JSON.stringify({ commit, date: new Date().toISOString(), departementCode: state.departementCode, note: 'gateway and subgraphs share this process: memory is their sum', results }, null, 2));
console.log(`\nwrote ${file}`);
process.exit(0);
