import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { eventually } from '../support/eventually.js';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import { Authenticator } from '../../gateway/auth.js';
import { SUPERGRAPH_PATH } from '../../common/type-defs.js';
import type { QueryLimitsOptions } from '../../gateway/limits.js';
import { bucketKey, MemoryRateLimitStore, RedisRateLimitStore, type BucketPolicy, type RateLimitStore } from '../../gateway/rate-limit.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { loadEnv, type SubgraphName } from '../../common/env.js';
import { ANONYMOUS, SYSTEM_ADMIN } from '../../common/viewer.js';
import { failsWith, type GraphQLResult } from '../support/graphql.js';
import { uniqueId } from '../support/ids.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/** The configured Redis, else a local one if it answers. */
const CONFIGURED_REDIS = loadEnv().REDIS_URL;
const REDIS_URL = CONFIGURED_REDIS ?? 'redis://127.0.0.1:6379';
/** Every key this run writes lives under this prefix, deleted at the end. */
const PREFIX = `conum:test:ratelimit:${randomBytes(6).toString('hex')}:`;

/**
 * Redis is on CI's machine (REDIS_URL is set there, and these tests must then pass); on a developer's machine
 * without it, the tests that need a live Redis are skipped rather than failed.
 */
const redisLive = await (async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
})();
const withRedis = redisLive || CONFIGURED_REDIS ? test : test.skip;

/**
 * A Redis stuck behind a live socket: it accepts connections and never answers a command. With `handshake` it
 * first answers ioredis's connection handshake, as a Redis that hangs once connected. Counts what it receives.
 */
interface HungRedis {
  url: string;
  connections: number;
  commands: string[];
  close(): Promise<void>;
}
const hungServers: HungRedis[] = [];

/** Names of the complete RESP commands (arrays of bulk strings) at the start of `data`, and what is left. */
function parseCommands(data: string): { names: string[]; rest: string } {
  const names: string[] = [];
  let at = 0;
  for (;;) {
    const head = /^\*(\d+)\r\n/.exec(data.slice(at));
    if (!head) return { names, rest: data.slice(at) };
    let i = at + head[0].length;
    const args: string[] = [];
    for (let n = 0; n < Number(head[1]); n++) {
      const bulk = /^\$(\d+)\r\n/.exec(data.slice(i));
      const start = i + (bulk?.[0].length ?? 0);
      if (!bulk || data.length < start + Number(bulk[1]) + 2) return { names, rest: data.slice(at) };
      args.push(data.slice(start, start + Number(bulk[1])));
      i = start + Number(bulk[1]) + 2;
    }
    names.push(args[0]!.toUpperCase());
    at = i;
  }
}

async function hungRedis({ handshake = true } = {}): Promise<HungRedis> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    fake.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (chunk) => {
      const { names, rest } = parseCommands(pending + chunk.toString('latin1'));
      pending = rest;
      for (const name of names) {
        fake.commands.push(name);
        if (!handshake) continue;
        // ioredis's handshake: CLIENT SETINFO (library name and version), then INFO as its ready check.
        if (name === 'CLIENT') socket.write('+OK\r\n');
        if (name === 'INFO') {
          const info = '# Server\r\nredis_version:7.0.0\r\nloading:0\r\n';
          socket.write(`$${info.length}\r\n${info}\r\n`);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const fake: HungRedis = {
    url: `redis://127.0.0.1:${port}`,
    connections: 0,
    commands: [],
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  hungServers.push(fake);
  return fake;
}

let redis: Redis | undefined;
let system: TestSystem;
const gateways: RunningGateway[] = [];
const stores: RateLimitStore[] = [];

beforeAll(async () => {
  if (redisLive) redis = new Redis(REDIS_URL);
  system = await startTestSystem();
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  for (const store of stores) await store.close();
  for (const server of hungServers) await server.close();
  await system?.stop();
  if (redis) {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});

/**
 * The live Redis, with a command timeout for a loaded test machine: under load a command took over the production
 * 100 ms, the breaker opened, and the request was counted in memory where the test expects Redis's count.
 */
function redisStore(prefix = PREFIX): RedisRateLimitStore {
  const store = new RedisRateLimitStore(REDIS_URL, { prefix, commandTimeoutMs: 5_000 });
  stores.push(store);
  return store;
}

/** A second gateway over the test system's subgraphs, with tiny buckets so a few requests exhaust them. */
async function gatewayWith(limits: QueryLimitsOptions): Promise<RunningGateway> {
  const gateway = await startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: Object.fromEntries(system.subgraphs.map((s) => [s.name, s.url])) as Record<SubgraphName, string>,
    gatewaySecret: system.gatewaySecret,
    authenticator: new Authenticator({ jwt: system.issuer.jwt, apiKeys: system.apiKeys }),
    limits,
  });
  gateways.push(gateway);
  return gateway;
}

/** Refills 1 point every 100 s: nothing comes back during a test. */
const TINY: BucketPolicy = { capacity: 3, restoreRate: 0.01 };

async function ask(gateway: RunningGateway, headers: Record<string, string> = {}, query = '{ __typename }') {
  const res = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as GraphQLResult & { extensions?: { cost?: Record<string, unknown> } };
  return { status: res.status, headers: res.headers, body };
}

describe('bucket arithmetic (in memory, on a fake clock)', () => {
  const policy: BucketPolicy = { capacity: 1_000, restoreRate: 50 };

  test('a bucket starts full, pays requests and refills at its restore rate up to its capacity', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => now);
    expect(await store.take('k', 600, policy)).toEqual({ allowed: true, available: 400, retryAfterSeconds: 0 });
    now += 4_000; // +200
    expect((await store.take('k', 0, policy)).available).toBe(600);
    now += 60_000;
    expect((await store.take('k', 0, policy)).available).toBe(1_000);
  });

  test('a positive bucket admits a request dearer than what it holds; in debt it refuses, says when to retry, and charges nothing', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => now);
    await store.take('k', 900, policy);
    // 100 left: a 300-point request still runs, and leaves a debt of 200
    expect(await store.take('k', 300, policy)).toEqual({ allowed: true, available: -200, retryAfterSeconds: 0 });
    // 201 points to refill at 50/s before the bucket holds a point again
    expect(await store.take('k', 1, policy)).toEqual({ allowed: false, available: -200, retryAfterSeconds: 5 });
    now += 4_000;
    expect((await store.take('k', 1, policy)).allowed).toBe(false);
    now += 1_000;
    expect(await store.take('k', 300, policy)).toEqual({ allowed: true, available: -250, retryAfterSeconds: 0 });
  });

  test('a request dearer than the whole bucket runs on a bucket that is not full and leaves a debt to pay off', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => now);
    await store.take('k', 10, policy);
    expect(await store.take('k', 2_500, policy)).toEqual({ allowed: true, available: -1_510, retryAfterSeconds: 0 });
    expect(await store.take('k', 1, policy)).toMatchObject({ allowed: false, retryAfterSeconds: 31 });
    now += 31_000;
    expect((await store.take('k', 1, policy)).allowed).toBe(true);
  });

  test('settlement: a refund never fills a bucket above its capacity; a debit applies even to a bucket in debt', async () => {
    const store = new MemoryRateLimitStore(() => 0);
    await store.take('k', 10, policy);
    expect((await store.adjust('k', -50, policy)).available).toBe(1_000);
    await store.take('k', 1_500, policy);
    expect(await store.adjust('k', 20, policy)).toEqual({ allowed: true, available: -520, retryAfterSeconds: 0 });
  });

  test('keys: per API key, per user (token subject), per IP for anonymous callers', () => {
    expect(bucketKey({ ...ANONYMOUS, kind: 'api_key', role: 'partner', id: 'k1' }, '10.0.0.1')).toBe('api_key:k1');
    expect(bucketKey(SYSTEM_ADMIN, '10.0.0.1')).toBe('user:system');
    expect(bucketKey(ANONYMOUS, '10.0.0.1')).toBe('ip:10.0.0.1');
  });
});

describe('Redis store', () => {
  withRedis('same bucket in Redis, under the configured prefix, expiring once full again', async () => {
    const store = redisStore();
    await store.ready();
    const policy: BucketPolicy = { capacity: 10, restoreRate: 0.01 };
    expect(await store.take('one', 4, policy)).toMatchObject({ allowed: true });
    const second = await store.take('one', 4, policy);
    expect(second.allowed).toBe(true);
    expect(second.available).toBeCloseTo(2, 1);
    // 2 left: admitted into debt, then refused until the bucket holds a point again
    expect((await store.take('one', 4, policy)).available).toBeCloseTo(-2, 1);
    expect(await store.take('one', 4, policy)).toMatchObject({ allowed: false, retryAfterSeconds: expect.any(Number) });
    expect((await store.adjust('one', 3, policy)).available).toBeCloseTo(-5, 1);
    expect((await store.adjust('one', -100, policy)).available).toBe(10);
    const ttl = await redis!.pttl(`${PREFIX}one`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2_000);
  });

  withRedis('atomic: 50 concurrent requests from two gateway instances on a 20-point bucket, exactly 20 pass', async () => {
    const [a, b] = [redisStore(), redisStore()];
    await Promise.all([a.ready(), b.ready()]);
    const policy: BucketPolicy = { capacity: 20, restoreRate: 0.001 };
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).take('shared', 1, policy)));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
  });

  test('Redis unreachable: requests are still limited, in this process, and nothing crashes', async () => {
    const store = new RedisRateLimitStore('redis://127.0.0.1:1', { prefix: PREFIX });
    stores.push(store);
    const policy: BucketPolicy = { capacity: 2, restoreRate: 0.001 };
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await store.take('down', 1, policy));
    expect(results.map((r) => r.allowed)).toEqual([true, true, false]);
  });

  test('Redis hung: one command times out, then Redis is left alone for the cool-down with limits kept in memory, then tried again', async () => {
    const hung = await hungRedis();
    let now = 0;
    const store = new RedisRateLimitStore(hung.url, { prefix: PREFIX, commandTimeoutMs: 50, coolDownMs: 10_000, now: () => now });
    stores.push(store);
    await store.ready();
    const scripts = () => hung.commands.filter((name) => name.startsWith('EVAL')).length;
    const policy: BucketPolicy = { capacity: 3, restoreRate: 0.001 };
    const take = async () => (await store.take('hung', 1, policy)).allowed;
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await take());
    expect(results).toEqual([true, true, true, false, false]);
    // The fake server counts what it has read; on a loaded machine the timed-out command may not be read yet.
    await eventually(async () => expect(scripts()).toBe(1));
    now += 9_999;
    expect(await take()).toBe(false);
    expect(scripts()).toBe(1);
    // Cool-down over: one request tries Redis, which is still hung, and the breaker opens again.
    now += 2;
    expect(await take()).toBe(false);
    await eventually(async () => expect(scripts()).toBe(2));
    expect(await take()).toBe(false);
    expect(scripts()).toBe(2);
    expect(hung.connections).toBe(1);
  });

  test('Redis silent from the start: ioredis never gets ready, so requests are counted in memory and no script reaches it', async () => {
    const silent = await hungRedis({ handshake: false });
    const store = new RedisRateLimitStore(silent.url, { prefix: PREFIX, commandTimeoutMs: 50 });
    stores.push(store);
    const policy: BucketPolicy = { capacity: 2, restoreRate: 0.001 };
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await store.take('silent', 1, policy)).allowed);
    expect(results).toEqual([true, true, false]);
    expect(silent.commands.filter((name) => name.startsWith('EVAL'))).toEqual([]);
  });

  withRedis('after the cool-down, a Redis that answers again closes the breaker: buckets are shared again', async () => {
    let now = 0;
    const store = new RedisRateLimitStore(REDIS_URL, { prefix: PREFIX, commandTimeoutMs: 5_000, coolDownMs: 10_000, now: () => now });
    stores.push(store);
    await store.ready();
    const policy: BucketPolicy = { capacity: 10, restoreRate: 0.001 };
    // A connection error opens the breaker as a failed command would.
    store['trip'](new Error('connection reset'));
    await store.take('breaker', 4, policy);
    expect(await redis!.exists(`${PREFIX}breaker`)).toBe(0);
    now += 10_000;
    await store.take('breaker', 4, policy);
    await store.take('breaker', 4, policy);
    expect(Number(await redis!.hget(`${PREFIX}breaker`, 'tokens'))).toBeCloseTo(2, 1);
  });
});

describe('through the gateway', () => {
  const stores429: [string, () => Promise<RateLimitStore>][] = [
    ['in memory', async () => new MemoryRateLimitStore()],
    // Nothing listens on port 1: the gateway counts in memory and keeps answering.
    ['with Redis down', async () => new RedisRateLimitStore('redis://127.0.0.1:1', { prefix: PREFIX })],
    // Redis accepts the connection, then answers no command: one command times out, the breaker opens.
    [
      'with Redis hung',
      async () => {
        const hung = await hungRedis();
        const store = new RedisRateLimitStore(hung.url, { prefix: PREFIX, commandTimeoutMs: 50, coolDownMs: 3_600_000 });
        await store.ready();
        return store;
      },
    ],
  ];
  if (redisLive || CONFIGURED_REDIS) {
    stores429.push([
      'in Redis',
      async () => {
        const store = redisStore();
        await store.ready();
        return store;
      },
    ]);
  }
  test.each(stores429)(
    '%s: over budget → 429 RATE_LIMITED with Retry-After; other callers keep their own buckets',
    async (_name, makeStore) => {
      const store = await makeStore();
      stores.push(store);
      const gateway = await gatewayWith({ store, buckets: { user: TINY, anonymous: TINY, api_key: TINY } });
      const alice = await system.bearer({ sub: `alice-${uniqueId()}`, role: 'admin' });
      for (let i = 0; i < TINY.capacity; i++) {
        const ok = await ask(gateway, alice);
        expect(ok.status).toBe(200);
        expect(ok.headers.get('ratelimit')).toBe(`"cost";r=${TINY.capacity - 1 - i};t=${Math.ceil((i + 1) / TINY.restoreRate)}`);
        expect(ok.body.extensions?.cost).toMatchObject({
          requestedQueryCost: 1,
          actualQueryCost: 1,
          throttleStatus: { currentlyAvailable: TINY.capacity - 1 - i },
        });
      }
      const refused = await ask(gateway, alice);
      expect(refused.status).toBe(429);
      expect(await failsWith('RATE_LIMITED', refused.body)).toMatchObject({ cost: 1 });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(refused.body.extensions?.cost).toMatchObject({ requestedQueryCost: 1, throttleStatus: { currentlyAvailable: 0 } });

      // Another user, a partner key and an anonymous caller each have a bucket of their own.
      expect((await ask(gateway, await system.bearer({ sub: `bob-${uniqueId()}`, role: 'admin' }))).status).toBe(200);
      const { key } = await system.apiKeys.create({ name: `rate ${uniqueId()}`, scopes: ['statistics:read'] });
      expect((await ask(gateway, { authorization: `Bearer ${key}` })).status).toBe(200);
      expect((await ask(gateway)).status).toBe(200);
    },
  );

  test('with Redis hung, the gateway sends it one command per cool-down, not one per request', async () => {
    const hung = await hungRedis();
    const store = new RedisRateLimitStore(hung.url, { prefix: PREFIX, commandTimeoutMs: 50, coolDownMs: 3_600_000 });
    stores.push(store);
    await store.ready();
    const gateway = await gatewayWith({ store, buckets: { user: TINY } });
    const dave = await system.bearer({ sub: `dave-${uniqueId()}`, role: 'admin' });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await ask(gateway, dave)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(hung.commands.filter((name) => name.startsWith('EVAL'))).toHaveLength(1);
  });

  withRedis('two gateways sharing Redis share each caller’s budget', async () => {
    const prefix = `${PREFIX}shared:`;
    const [one, two] = [redisStore(prefix), redisStore(prefix)];
    await Promise.all([one.ready(), two.ready()]);
    const first = await gatewayWith({ store: one, buckets: { user: TINY } });
    const second = await gatewayWith({ store: two, buckets: { user: TINY } });
    const carol = await system.bearer({ sub: `carol-${uniqueId()}`, role: 'admin' });
    expect((await ask(first, carol)).status).toBe(200);
    expect((await ask(second, carol)).status).toBe(200);
    expect((await ask(first, carol)).status).toBe(200);
    expect((await ask(second, carol)).status).toBe(429);
  });
});

describe('concurrent requests per caller', () => {
  test('past its cap a caller is refused with 429 RATE_LIMITED until a request finishes; others are unaffected', async () => {
    const gateway = await gatewayWith({ maxConcurrent: { user: 2 } });
    const headers = await system.bearer({ sub: 'concurrency', role: 'admin' });
    const query = '{ departements { code name } }';
    const responses = await Promise.all(Array.from({ length: 12 }, () => ask(gateway, headers, query)));
    const refused = responses.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(2);
    expect(await failsWith('RATE_LIMITED', refused[0]!.body)).toMatchObject({ limit: 2 });
    expect(refused[0]!.headers.get('retry-after')).toBe('1');
    // Once they are done, the same caller is served again.
    expect((await ask(gateway, headers, query)).status).toBe(200);
    expect((await ask(gateway, await system.bearer({ sub: 'someone else', role: 'admin' }), query)).status).toBe(200);
  });
});

describe('writes per user', () => {
  test('past its mutations a minute, a user is refused with 429 RATE_LIMITED; queries still go through', async () => {
    const gateway = await gatewayWith({ mutationBuckets: { minute: { capacity: 3, restoreRate: 0.01 } } });
    const headers = await system.bearer({ sub: 'writer', role: 'admin' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(gateway, headers, 'mutation { __typename }')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await ask(gateway, headers, 'mutation { __typename }');
    expect(await failsWith('RATE_LIMITED', refused.body)).toMatchObject({ limit: 3, window: 'minute' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ask(gateway, headers, '{ __typename }')).status).toBe(200);
    // Another user has its own allowance.
    expect((await ask(gateway, await system.bearer({ sub: 'another writer', role: 'admin' }), 'mutation { __typename }')).status).toBe(200);
  });
});
