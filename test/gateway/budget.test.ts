import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'graphql';
import { loadEnv } from '../../common/env.js';
import { SUPERGRAPH_PATH } from '../../common/type-defs.js';
import { listSizes } from '../../gateway/cost.js';
import { MAX_COST } from '../../gateway/limits.js';
import { BUCKETS, MemoryRateLimitStore, RedisRateLimitStore, type RateLimitStore } from '../../gateway/rate-limit.js';
import { DASHBOARD_PANELS } from '../bench/dashboard.js';
import { startDemoSystem, type DemoSystem } from '../support/demo-system.js';
import { succeeds } from '../support/graphql.js';
import { uniqueId } from '../support/ids.js';

/**
 * A dashboard's budget (gateway/LIMITS.md): panels opened at once are admitted on their estimate, and the
 * bucket is then charged what each actually cost. On the demo data set, with the store production uses (Redis when
 * REDIS_URL is set).
 */
const SIZES_STRUCTURE_ADVISORS = listSizes(parse(readFileSync(SUPERGRAPH_PATH, 'utf8'))).get('Structure.conseillers')!.assumedSize!;

interface Cost {
  requestedQueryCost: number;
  actualQueryCost?: number;
}

let demo: DemoSystem;
let store: RateLimitStore;
beforeAll(async () => {
  const { REDIS_URL } = loadEnv();
  store = REDIS_URL
    ? new RedisRateLimitStore(REDIS_URL, {
        prefix: `conum:test:budget:${randomBytes(6).toString('hex')}:`,
        commandTimeoutMs: 5_000,
      })
    : new MemoryRateLimitStore();
  if (store instanceof RedisRateLimitStore) await store.ready();
  demo = await startDemoSystem('conum_budget', { limits: { store } });
});
afterAll(async () => {
  await demo?.stop();
  await store?.close();
});

const prefet = () => demo.system.bearer({ sub: `budget-prefet-${uniqueId()}`, role: 'prefet', departements: [demo.state.departementCode] });

describe("a préfet's dashboard page", () => {
  test('its eight panels opened at once all answer 200, each charged no more than its estimate', async () => {
    expect(DASHBOARD_PANELS).toHaveLength(8);
    const headers = await prefet();
    const responses = await Promise.all(
      DASHBOARD_PANELS.map((panel) => demo.system.query(panel.query, panel.variables(demo.state), headers)),
    );
    expect(responses.map((r) => r.status)).toEqual(DASHBOARD_PANELS.map(() => 200));
    for (const [i, response] of responses.entries()) {
      await succeeds(response).catch((error: Error) => {
        throw new Error(`${DASHBOARD_PANELS[i]!.name}: ${error.message}`);
      });
      const cost = response.extensions?.cost as Cost;
      expect(cost.actualQueryCost).toBeGreaterThan(0);
      expect(cost.actualQueryCost).toBeLessThanOrEqual(cost.requestedQueryCost);
    }
  });
});

describe('the bucket is charged what an operation actually cost', () => {
  test('a response says it used its actual cost, and the bucket holds the capacity minus that', async () => {
    const headers = await prefet();
    const res = await fetch(demo.system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ departements { code name } }' }),
    });
    const body = (await res.json()) as { extensions: { cost: Cost & { throttleStatus: { currentlyAvailable: number } } } };
    const { requestedQueryCost, actualQueryCost, throttleStatus } = body.extensions.cost;
    expect(actualQueryCost).toBe(109);
    expect(requestedQueryCost).toBeGreaterThanOrEqual(actualQueryCost!);
    expect(res.headers.get('x-ratelimit-used')).toBe(String(actualQueryCost));
    expect(throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(BUCKETS.user.capacity - actualQueryCost!);
  });

  test('a request within the per-request maximum but above the bucket is admitted right after another request', async () => {
    const headers = await demo.system.bearer({ sub: `budget-admin-${uniqueId()}`, role: 'admin' });
    const query = '{ structures(first: 100) { edges { node { conseillers { id trainingPaths { hours } cras(last: 5) { id } } } } } }';
    expect((await demo.system.query('{ __typename }', undefined, headers)).status).toBe(200);
    const dear = await demo.system.query(query, undefined, headers);
    expect(dear.status).toBe(200);
    const { requestedQueryCost, actualQueryCost } = dear.extensions?.cost as Cost;
    expect(requestedQueryCost).toBeGreaterThan(BUCKETS.user.capacity);
    expect(requestedQueryCost).toBeLessThanOrEqual(MAX_COST.user);
    expect(actualQueryCost).toBeLessThanOrEqual(requestedQueryCost);
  });

  // Last: it gives one demo structure more advisors than its declared size.
  test('a list longer than its declared size is debited after execution', async () => {
    const recruitment = demo.system.orms.recruitment.em.getConnection();
    const [structure] = await recruitment.execute<{ id: number }[]>(`select id from recruitment.structure order by id limit 1`);
    const advisors = SIZES_STRUCTURE_ADVISORS + 3;
    await recruitment.execute(
      `update recruitment.conseiller set structure_id = ? where id in (select id from recruitment.conseiller order by id limit ?)`,
      [structure!.id, advisors],
    );
    const headers = await demo.system.bearer({ sub: `budget-admin-${uniqueId()}`, role: 'admin' });
    const res = await fetch(demo.system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: `{ structure(id: ${structure!.id}) { conseillers { id } } }` }),
    });
    const { data, extensions } = (await res.json()) as { data: { structure: { conseillers: unknown[] } }; extensions: { cost: Cost } };
    const returned = data.structure.conseillers.length;
    expect(returned).toBeGreaterThanOrEqual(advisors);
    expect(extensions.cost).toMatchObject({ requestedQueryCost: 1 + SIZES_STRUCTURE_ADVISORS, actualQueryCost: 1 + returned });
    expect(res.headers.get('x-ratelimit-used')).toBe(String(1 + returned));
  });
});
