import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import { Authenticator } from '../../gateway/auth.js';
import { SUPERGRAPH_PATH } from '../../gateway/compose.js';
import type { QueryLimitsOptions } from '../../gateway/limits.js';
import { bucketKey, MemoryRateLimitStore, RedisRateLimitStore, type BucketPolicy, type RateLimitStore } from '../../gateway/rate-limit.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import type { SubgraphName } from '../../subgraphs/common/env.js';
import { ANONYMOUS, SYSTEM_ADMIN } from '../../subgraphs/common/viewer.js';
import { uniqueId } from '../support/ids.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
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
const withRedis = redisLive || process.env.REDIS_URL ? test : test.skip;

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
  await system?.stop();
  if (redis) {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});

function redisStore(prefix = PREFIX): RedisRateLimitStore {
  const store = new RedisRateLimitStore(REDIS_URL, prefix);
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
  const res = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { errors?: { extensions?: Record<string, unknown> }[]; extensions?: { cost?: Record<string, unknown> } };
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

  test('a request the bucket cannot pay is refused, told when to retry, and charged nothing', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => now);
    await store.take('k', 900, policy);
    // 100 left, 300 needed: 200 more at 50/s
    expect(await store.take('k', 300, policy)).toEqual({ allowed: false, available: 100, retryAfterSeconds: 4 });
    now += 4_000;
    expect(await store.take('k', 300, policy)).toEqual({ allowed: true, available: 0, retryAfterSeconds: 0 });
  });

  test('a request dearer than the whole bucket runs on a full bucket and leaves a debt to pay off', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => now);
    expect(await store.take('k', 2_500, policy)).toEqual({ allowed: true, available: -1_500, retryAfterSeconds: 0 });
    expect(await store.take('k', 1, policy)).toMatchObject({ allowed: false, retryAfterSeconds: 31 });
    now += 31_000;
    expect((await store.take('k', 1, policy)).allowed).toBe(true);
  });

  test('refunds never fill a bucket above its capacity', async () => {
    const store = new MemoryRateLimitStore(() => 0);
    await store.take('k', 10, policy);
    expect((await store.take('k', -50, policy)).available).toBe(1_000);
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
    expect(await store.take('one', 4, policy)).toMatchObject({ allowed: false, retryAfterSeconds: expect.any(Number) });
    expect((await store.take('one', -100, policy)).available).toBe(10);
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
    const store = new RedisRateLimitStore('redis://127.0.0.1:1', PREFIX);
    stores.push(store);
    const policy: BucketPolicy = { capacity: 2, restoreRate: 0.001 };
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await store.take('down', 1, policy));
    expect(results.map((r) => r.allowed)).toEqual([true, true, false]);
  });
});

describe('through the gateway', () => {
  const stores429: [string, () => Promise<RateLimitStore>][] = [
    ['in memory', async () => new MemoryRateLimitStore()],
    // Nothing listens on port 1: the gateway counts in memory and keeps answering.
    ['with Redis down', async () => new RedisRateLimitStore('redis://127.0.0.1:1', PREFIX)],
  ];
  if (redisLive || process.env.REDIS_URL) {
    stores429.push([
      'in Redis',
      async () => {
        const store = redisStore();
        await store.ready();
        return store;
      },
    ]);
  }
  test.each(stores429)('%s: over budget → 429 RATE_LIMITED with Retry-After; other callers keep their own buckets', async (_name, makeStore) => {
    const store = await makeStore();
    stores.push(store);
    const gateway = await gatewayWith({ store, buckets: { user: TINY, anonymous: TINY, api_key: TINY } });
    const alice = await system.bearer({ sub: `alice-${uniqueId()}`, role: 'admin' });
    for (let i = 0; i < TINY.capacity; i++) {
      const ok = await ask(gateway, alice);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit')).toBe(`"cost";r=${TINY.capacity - 1 - i};t=${Math.ceil((i + 1) / TINY.restoreRate)}`);
      expect(ok.body.extensions?.cost).toMatchObject({ requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { currentlyAvailable: TINY.capacity - 1 - i } });
    }
    const refused = await ask(gateway, alice);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', cost: 1 });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(refused.body.extensions?.cost).toMatchObject({ requestedQueryCost: 1, throttleStatus: { currentlyAvailable: 0 } });

    // Another user, a partner key and an anonymous caller each have a bucket of their own.
    expect((await ask(gateway, await system.bearer({ sub: `bob-${uniqueId()}`, role: 'admin' }))).status).toBe(200);
    const { key } = await system.apiKeys.create({ name: `rate ${uniqueId()}`, scopes: ['statistics:read'] });
    expect((await ask(gateway, { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await ask(gateway)).status).toBe(200);
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
    expect(refused[0]!.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 2 });
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
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 3, window: 'minute' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ask(gateway, headers, '{ __typename }')).status).toBe(200);
    // Another user has its own allowance.
    expect((await ask(gateway, await system.bearer({ sub: 'another writer', role: 'admin' }), 'mutation { __typename }')).status).toBe(200);
  });
});
