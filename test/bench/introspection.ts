/**
 * npm run bench:introspection [-- --seconds 10 --clients 10 --port-base 4100]
 *
 * What anonymous introspection does to another caller: the whole system as `npm start` runs it (one process,
 * NODE_ENV=development so anonymous callers may introspect) on the data set in DATABASE_URL, a préfet loading the
 * département overview (test/bench/operations.ts) one request after another, first alone, then while `--clients`
 * anonymous clients introspect in a loop: GraphiQL's introspection query, then 15 aliased `__schema` in one request.
 * Each anonymous client has an address of its own (127.0.0.2, 127.0.0.3…), so each has its own bucket, as distinct
 * visitors do. Every phase lasts `--seconds`; requests time out after 30 s. Prints the préfet's p50/p95 per phase and
 * what the anonymous clients got (statuses, bytes); asserts nothing.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getIntrospectionQuery } from 'graphql';
import { loadDevIssuer } from '../../gateway/dev-issuer.js';
import { loadEnv } from '../../common/env.js';
import { OPERATIONS, type BenchState } from './operations.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '10' },
    'port-base': { type: 'string', default: '4100' },
  },
});
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const portBase = Number(values['port-base']);
const env = loadEnv();
if (!env.DATABASE_URL) {
  console.error('Set DATABASE_URL: the benchmark runs on a PostgreSQL server (e.g. postgresql://postgres@127.0.0.1:5432/conum).');
  process.exit(2);
}

const devSecrets = mkdtempSync(join(tmpdir(), 'conum-bench-introspection-'));
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/local.ts'], {
  env: {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DEV_SECRETS_DIR: devSecrets,
    GATEWAY_SECRET: randomBytes(32).toString('base64url'),
    GATEWAY_PORT: String(portBase),
    RECRUITMENT_PORT: String(portBase + 1),
    CONVENTIONS_PORT: String(portBase + 2),
    TRAINING_PORT: String(portBase + 3),
    ACTIVITY_PORT: String(portBase + 4),
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const gateway = `http://127.0.0.1:${portBase}/`;

interface Answer {
  status: number;
  bytes: number;
  errors?: boolean;
}

/** One POST over node:http, through the client's agent (and so from its address); `read` parses the answer for errors. */
function post(body: string, headers: Record<string, string>, agent: http.Agent, read = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      gateway,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers }, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (read) chunks.push(chunk);
        });
        res.on('end', () => {
          const errors = read
            ? Boolean((JSON.parse(Buffer.concat(chunks).toString()) as { errors?: unknown[] }).errors?.length)
            : undefined;
          resolve({ status: res.statusCode ?? 0, bytes, errors });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

async function ready(): Promise<void> {
  for (let i = 0; i < 480; i++) {
    try {
      if ((await fetch(new URL('/ready', gateway))).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${gateway} did not become ready`);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

try {
  await ready();
  const issuer = await loadDevIssuer(join(devSecrets, 'issuer.json'));
  const overview = OPERATIONS.find((o) => o.caller === 'prefet')!;
  const state: BenchState = { departementCode: '13', structureIds: [], cursor: null };
  const victimBody = JSON.stringify({ query: overview.query, variables: overview.variables(0, state) });
  // Many préfets take turns, so that their own budgets never refuse them: only the latency is measured.
  const victimHeaders = await Promise.all(
    Array.from({ length: 300 }, async (_, n) => ({
      authorization: `Bearer ${await issuer.sign({ sub: `bench-victim-${n}`, role: 'prefet', departements: ['13'] })}`,
    })),
  );
  const victimAgent = new http.Agent({ keepAlive: true });
  // Each type with its fields, their arguments and types: under the limit on selections 15 times over.
  const schemaFields = `{ types { name kind description fields { name description args { name type { kind name ofType { kind name } } }
    type { kind name ofType { kind name ofType { kind name } } } isDeprecated } inputFields { name type { kind name ofType { kind name } } }
    enumValues { name description } possibleTypes { name } } }`;
  const attacks = {
    'GraphiQL introspection': JSON.stringify({ query: getIntrospectionQuery() }),
    '15 aliased __schema': JSON.stringify({
      query: `{ ${Array.from({ length: 15 }, (_, i) => `s${i}: __schema ${schemaFields}`).join(' ')} }`,
    }),
  };

  /** The préfet's latencies for `seconds`, while anonymous clients send `attack` in a loop when given. */
  async function phase(name: string, attack?: string): Promise<void> {
    const deadline = performance.now() + seconds * 1000;
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let attackBytes = 0;
    let victimErrors = 0;
    const attackers = attack
      ? Array.from({ length: clients }, async (_, i) => {
          const agent = new http.Agent({ keepAlive: true, localAddress: `127.0.0.${2 + i}` } as http.AgentOptions);
          while (performance.now() < deadline) {
            const answer = await post(attack, {}, agent).catch(() => ({ status: 0, bytes: 0 }));
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            attackBytes += answer.bytes;
            // A refused client retries at once, as a hostile one does.
          }
          agent.destroy();
        })
      : [];
    while (performance.now() < deadline) {
      const t = performance.now();
      const answer = await post(victimBody, victimHeaders[latencies.length % victimHeaders.length]!, victimAgent, true);
      latencies.push(performance.now() - t);
      if (answer.status !== 200 || answer.errors) victimErrors++;
    }
    await Promise.all(attackers);
    latencies.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n);
    console.log(
      `\n${name}\n  préfet: p50 ${round(percentile(latencies, 50))} ms  p95 ${round(percentile(latencies, 95))} ms  (${latencies.length} requests, ${victimErrors} with errors)` +
        (attack
          ? `\n  ${clients} anonymous clients: ${[...statuses]
              .sort()
              .map(([s, n]) => `${n} × ${s || 'failed'}`)
              .join(', ')}; ${(attackBytes / 1e6).toFixed(1)} MB received`
          : ''),
    );
  }

  await post(victimBody, victimHeaders[0]!, victimAgent); // warm-up (query plan)
  await phase('préfet alone');
  for (const [name, body] of Object.entries(attacks))
    await phase(`while anonymous clients send ${name} (${body.length} bytes a request)`, body);
  victimAgent.destroy();
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(devSecrets, { recursive: true, force: true });
}
