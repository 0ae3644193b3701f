/**
 * npm run bench [-- --concurrency 8 --seconds 10]
 *
 * The dashboard mix (test/bench/operations.ts) on the data set in DATABASE_URL (demo, or national after
 * `npm run data:generate -- --scale national`), in two passes:
 * 1. in one process, with statement counters on every subgraph's ORM: SQL statements per operation (at two page
 *    sizes for paged operations) and a recording of the subgraph calls the gateway makes;
 * 2. as in production, the gateway and the four subgraphs each in its own process: requests per second at fixed
 *    concurrency, p50/p95/p99, peak memory (RSS) of each process, and the recorded subgraph calls replayed directly
 *    against the subgraphs, so the gateway's overhead prints as a ratio.
 * Calls come from many dashboard users and partner keys, as in real use, so per-caller budgets do not throttle the
 * run. Results are also written as JSON under bench-results/ (git-ignored). Prints figures; asserts nothing.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiKeyStore } from '../../gateway/api-key-store.js';
import { apiKeyPepper } from '../../gateway/auth-setup.js';
import { migrateGateway } from '../../gateway/migrate.js';
import { loadDevIssuer } from '../../gateway/dev-issuer.js';
import { loadEnv, SUBGRAPH_NAMES, type SubgraphName } from '../../common/env.js';
import { openSubgraphOrm, prepareDatabase } from '../../common/server.js';
import { signViewer, VIEWER_HEADER, type Viewer } from '../../common/viewer.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { countStatements } from '../support/sql-counter.js';
import { startTestSystem } from '../support/system.js';
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
const databaseUrl = env.DATABASE_URL;

// Migrate (the gateway's tables too), and seed the demo set into empty subgraphs, so the benchmark runs on a fresh database too.
for (const definition of Object.values(subgraphs)) {
  const orm = await openSubgraphOrm(definition, databaseUrl);
  await prepareDatabase(definition, orm, true);
  await orm.close();
}
await migrateGateway(databaseUrl);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const round = (n: number) => Math.round(n * 100) / 100;
const realFetch = globalThis.fetch;

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
  return {
    rps: round(latencies.length / elapsed),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    requests: latencies.length,
  };
}

function checked(
  operation: Operation,
  response: { errors?: { message: string; extensions?: Record<string, unknown> }[]; data?: unknown },
  state: BenchState,
) {
  if (response.errors?.length)
    throw new Error(`${operation.name}: ${response.errors.map((e) => `${e.extensions?.code} ${e.message}`).join('; ')}`);
  operation.after?.(response.data, state);
}

// ---------------------------------------------------------------------------------------------------------------
// Pass 1: one process, statement counters, recording of the gateway's subgraph calls.
// ---------------------------------------------------------------------------------------------------------------
const system = await startTestSystem({ databaseUrl, poolMax: 10 });
const recruitment = system.orms.recruitment.em.getConnection();
const [busiest] = await recruitment.execute<{ departement_code: string }[]>(
  `select departement_code from recruitment.structure group by departement_code order by count(*) desc limit 1`,
);
const structureRows = await recruitment.execute<{ id: number }[]>(
  `select s.id from recruitment.structure s where exists (select 1 from recruitment.conseiller c where c.structure_id = s.id) order by s.id limit 200`,
);
const state: BenchState = {
  departementCode: busiest?.departement_code ?? '13',
  structureIds: structureRows.map((r) => r.id),
  cursor: null,
};
const claims = {
  admin: (n: number) => ({ sub: `bench-admin-${n}`, role: 'admin' }),
  prefet: (n: number) => ({ sub: `bench-prefet-${n}`, role: 'prefet', departements: [state.departementCode] }),
  structure: (n: number) => ({ sub: `bench-structure-${n}`, role: 'structure', structure_ids: state.structureIds }),
};
const counterKey = await system.apiKeys.create({ name: 'benchmark (counting pass)', scopes: ['structures:read'], expiresInDays: 1 });
const countingHeaders: Record<Operation['caller'], Record<string, string>> = {
  admin: await system.bearer(claims.admin(0)),
  prefet: await system.bearer(claims.prefet(0)),
  structure: await system.bearer(claims.structure(0)),
  partner: { authorization: `Bearer ${counterKey.key}` },
};
const subgraphOfUrl = new Map(system.subgraphs.map((s) => [s.url, s.name]));
interface RecordedCall {
  subgraph: SubgraphName;
  body: string;
  viewer: Viewer;
}
let recording: RecordedCall[] | null = null;
globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const subgraph = subgraphOfUrl.get(String(input));
  if (recording && subgraph) {
    const viewerHeader = new Headers(init?.headers).get(VIEWER_HEADER);
    recording.push({
      subgraph,
      body: String(init?.body),
      viewer: JSON.parse(Buffer.from(viewerHeader ?? '', 'base64url').toString() || 'null'),
    });
  }
  return realFetch(input, init);
}) as typeof fetch;

const counted = new Map<Operation, { statements: number; byPageSize?: Record<number, number>; calls: RecordedCall[] }>();
for (const operation of OPERATIONS) {
  const run = async (extra: Record<string, unknown> = {}) =>
    checked(
      operation,
      await system.query(operation.query, { ...operation.variables(0, state), ...extra }, countingHeaders[operation.caller]),
      state,
    );
  state.cursor = null;
  await run(); // warm-up (query plan, caches)
  state.cursor = null;
  recording = [];
  const { total } = await countStatements(Object.values(system.orms), () => run());
  const calls: RecordedCall[] = recording;
  recording = null;
  // Statements must not grow with the page size: the same operation at a small and at a large page.
  let byPageSize: Record<number, number> | undefined;
  if (operation.pageVariable) {
    byPageSize = {};
    for (const size of [5, 100]) {
      state.cursor = null;
      byPageSize[size] = (await countStatements(Object.values(system.orms), () => run({ [operation.pageVariable!]: size }))).total;
    }
  }
  counted.set(operation, { statements: total, byPageSize, calls });
}
globalThis.fetch = realFetch;
await system.apiKeys.revoke(counterKey.record.id, 'benchmark finished');
await system.stop();

// ---------------------------------------------------------------------------------------------------------------
// Pass 2: the gateway and each subgraph in its own process.
// ---------------------------------------------------------------------------------------------------------------
const devSecrets = mkdtempSync(join(tmpdir(), 'conum-bench-'));
const benchEnv = loadEnv({ ...process.env, DEV_SECRETS_DIR: devSecrets });
const issuer = await loadDevIssuer(join(devSecrets, 'issuer.json'));
const apiKeys = await ApiKeyStore.open(databaseUrl, apiKeyPepper(benchEnv));
const PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4100,
  recruitment: 4101,
  conventions: 4102,
  training: 4103,
  activity: 4104,
};
const url = (name: SubgraphName) => `http://127.0.0.1:${PORTS[name]}/graphql`;
const childEnv = {
  ...process.env,
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  SEED_DEMO: '0',
  HOST: '127.0.0.1',
  DATABASE_URL: databaseUrl,
  GATEWAY_SECRET: randomBytes(32).toString('base64url'),
  DEV_SECRETS_DIR: devSecrets,
  GATEWAY_PORT: String(PORTS.gateway),
  ...Object.fromEntries(
    SUBGRAPH_NAMES.flatMap((n) => [
      [`${n.toUpperCase()}_PORT`, String(PORTS[n])],
      [`${n.toUpperCase()}_URL`, url(n)],
    ]),
  ),
};
const processes = new Map<SubgraphName | 'gateway', ChildProcess>();
const startProcess = (name: SubgraphName | 'gateway', entry: string) =>
  processes.set(name, spawn(process.execPath, ['--import', 'tsx', entry], { env: childEnv, stdio: ['ignore', 'ignore', 'inherit'] }));
async function ready(readyUrl: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await realFetch(readyUrl)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${readyUrl} did not become ready`);
}
for (const name of SUBGRAPH_NAMES) startProcess(name, `subgraphs/${name}/index.ts`);
await Promise.all(SUBGRAPH_NAMES.map((n) => ready(`http://127.0.0.1:${PORTS[n]}/ready`)));
startProcess('gateway', 'gateway/index.ts');
await ready(`http://127.0.0.1:${PORTS.gateway}/ready`);

/** Peak resident memory of each process while `fn` runs, in MB (read from /proc). */
async function peakMemory<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: Record<string, number> }> {
  const peak: Record<string, number> = {};
  const sample = () => {
    for (const [name, child] of processes) {
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
        peak[name] = Math.max(peak[name] ?? 0, Math.round(kb / 1024));
      } catch {
        // the process is gone
      }
    }
  };
  sample();
  const timer = setInterval(sample, 200);
  try {
    return { result: await fn(), peakMb: peak };
  } finally {
    clearInterval(timer);
    sample();
  }
}

// Many callers, as in real use: a bucket and a concurrency cap per caller.
const CALLERS = 300;
const tokens = {
  admin: await Promise.all(Array.from({ length: CALLERS }, (_, n) => issuer.sign(claims.admin(n)))),
  prefet: await Promise.all(Array.from({ length: CALLERS }, (_, n) => issuer.sign(claims.prefet(n)))),
  structure: await Promise.all(Array.from({ length: CALLERS }, (_, n) => issuer.sign(claims.structure(n)))),
};
const keys = await Promise.all(
  Array.from({ length: CALLERS }, (_, n) => apiKeys.create({ name: `benchmark ${n}`, scopes: ['structures:read'], expiresInDays: 1 })),
);
const headersFor = (caller: Operation['caller'], i: number): Record<string, string> => ({
  'content-type': 'application/json',
  authorization: `Bearer ${caller === 'partner' ? keys[i % CALLERS]!.key : tokens[caller][i % CALLERS]}`,
});

const results = [];
try {
  for (const operation of OPERATIONS) {
    const { statements, byPageSize, calls } = counted.get(operation)!;
    state.cursor = null;
    const viaGateway = async (i: number) => {
      const res = await realFetch(`http://127.0.0.1:${PORTS.gateway}/`, {
        method: 'POST',
        headers: headersFor(operation.caller, i),
        body: JSON.stringify({ query: operation.query, variables: operation.variables(i, state) }),
      });
      checked(operation, (await res.json()) as never, state);
    };
    await viaGateway(0); // warm-up in the new processes
    const { result: gateway, peakMb } = await peakMemory(() => load(viaGateway));
    const direct = await load(async () => {
      for (const call of calls) {
        const res = await realFetch(url(call.subgraph), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...signViewer(call.viewer, childEnv.GATEWAY_SECRET, { subgraph: call.subgraph, body: call.body }),
          },
          body: call.body,
        });
        await res.text();
      }
    });
    const result = {
      operation: operation.name,
      concurrency,
      gateway,
      direct: { ...direct, subgraphCalls: calls.length },
      overheadRatioP50: round(gateway.p50 / direct.p50),
      sqlStatements: statements,
      ...(byPageSize && { sqlStatementsByPageSize: byPageSize }),
      peakMemoryMb: peakMb,
    };
    results.push(result);
    console.log(
      `\n${operation.name}\n  gateway: ${gateway.rps} req/s  p50 ${gateway.p50} ms  p95 ${gateway.p95} ms  p99 ${gateway.p99} ms  (${gateway.requests} requests, concurrency ${concurrency})` +
        `\n  direct:  ${direct.rps} req/s  p50 ${direct.p50} ms  p95 ${direct.p95} ms  (${calls.length} subgraph calls replayed in sequence)` +
        `\n  gateway/direct p50: ${result.overheadRatioP50}×   SQL statements per operation: ${statements}` +
        (byPageSize ? ` (page of 5: ${byPageSize[5]}, page of 100: ${byPageSize[100]})` : '') +
        `\n  peak memory (RSS, MB): ${Object.entries(peakMb)
          .map(([n, mb]) => `${n} ${mb}`)
          .join(', ')}`,
    );
  }
} finally {
  for (const child of processes.values()) child.kill('SIGTERM');
  for (const { record } of keys) await apiKeys.revoke(record.id, 'benchmark finished');
  await apiKeys.close();
}

const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
mkdirSync('bench-results', { recursive: true });
const file = `bench-results/${new Date().toISOString().replace(/[:.]/g, '-')}-${commit}.json`;
writeFileSync(file, JSON.stringify({ commit, date: new Date().toISOString(), departementCode: state.departementCode, results }, null, 2));
console.log(`\nwrote ${file}`);
process.exit(0);
