import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'graphql';
import { SUPERGRAPH_PATH } from '../../common/type-defs.js';
import { COST, listSizes } from '../../gateway/cost.js';
import { LIMITS, MAX_COST } from '../../gateway/limits.js';
import { ErrorCode } from '../../common/errors.js';
import { BUCKETS } from '../../gateway/rate-limit.js';
import { uniqueId } from '../support/ids.js';
import { failsWith, succeeds } from '../support/graphql.js';
import { countStatements } from '../support/sql-counter.js';
import { startTestSystem, type GraphQLResponse, type TestSystem } from '../support/system.js';

/** Declared sizes of the lists these tests price (schema/recruitment/structure.graphql). */
const SIZES = listSizes(parse(readFileSync(SUPERGRAPH_PATH, 'utf8')));
const ADVISORS = SIZES.get('Structure.conseillers')!.assumedSize!;
const CONTRACTS = SIZES.get('Structure.contracts')!.assumedSize!;

let system: TestSystem;
let admin: Record<string, string>;
beforeAll(async () => {
  system = await startTestSystem();
  // A dashboard user who may read everything: what is refused here is refused for its shape, not its rights.
  admin = await system.bearer({ sub: `limits-${uniqueId()}`, role: 'admin' });
});
afterAll(async () => {
  await system?.stop();
});

const ALIVE = '{ structures(first: 1) { totalCount } }';

/** Sends a raw body; the response as parsed JSON when it is JSON. */
async function post(body: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const res = await fetch(system.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...admin, ...headers },
    body,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let json: GraphQLResponse | undefined;
  try {
    json = JSON.parse(text) as GraphQLResponse;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, ms };
}

/**
 * Sends a hostile document and checks it was refused before any subgraph ran a statement, then that the gateway
 * still answers a normal query. The response is checked by `check` (by default: the one error `code`).
 */
async function expectRefused(
  query: string,
  variables: Record<string, unknown> | undefined,
  code: string,
  status = 400,
  check: (response: GraphQLResponse) => ReturnType<typeof failsWith> = (response) => failsWith(code, response),
) {
  const { total, statements, result } = await countStatements(Object.values(system.orms), () => post(JSON.stringify({ query, variables })));
  expect(statements).toEqual([]);
  expect(total).toBe(0);
  expect(result.status).toBe(status);
  expect(result.json?.data).toBeUndefined();
  const error = await check(result.json ?? {});
  const alive = await system.query(ALIVE, undefined, admin);
  await succeeds(alive);
  expect(alive.status).toBe(200);
  return { error, ms: result.ms, response: result };
}

function nested(levels: number): string {
  // structure → conseillers → structure → conseillers …: each level is a real field.
  let selection = 'id';
  for (let i = 0; i < levels; i++) selection = i % 2 === 0 ? `conseillers { ${selection} }` : `structure { ${selection} }`;
  return `{ structure(id: "1") { ${selection} } }`;
}

function fanOut(levels: number, leaf: string): string {
  const fragments = [`fragment F0 on Structure { ${leaf} }`];
  for (let i = 1; i <= levels; i++) fragments.push(`fragment F${i} on Structure { ...F${i - 1} ...F${i - 1} }`);
  return `{ structures(first: 1) { edges { node { ...F${levels} } } } }\n${fragments.join('\n')}`;
}

const timings: Record<string, number> = {};
afterAll(() => {
  // The figures quoted in the issue's report.
  console.log(`hostile documents, time to refusal (ms): ${JSON.stringify(timings)}`);
});

describe('hostile documents are refused before any subgraph is called, and the gateway stays up', () => {
  test('depth: 13 levels of real fields → MAX_DEPTH_LIMIT with the limit and the measure', async () => {
    // structure(1) + 11 alternating levels + id = 13
    const { error, ms } = await expectRefused(nested(11), undefined, 'MAX_DEPTH_LIMIT');
    expect(error).toMatchObject({ limit: LIMITS.depth, measured: 13 });
    timings.depth = ms;
  });

  test('lexical nesting: 5,000 open braces are refused before parsing → MAX_NESTING_LIMIT', async () => {
    const { error, ms } = await expectRefused('{ a '.repeat(5_000), undefined, ErrorCode.MAX_NESTING_LIMIT);
    expect(error).toMatchObject({ limit: LIMITS.nesting, measured: LIMITS.nesting + 1 });
    timings.nesting5000 = ms;
  });

  test('tokens: 2,000 aliases (6,000 tokens) → GRAPHQL_PARSE_FAILED', async () => {
    const aliases = Array.from({ length: 2_000 }, (_, i) => `a${i}: __typename`).join(' ');
    const { error, ms } = await expectRefused(`{ ${aliases} }`, undefined, 'GRAPHQL_PARSE_FAILED');
    expect(error.message).toContain(`${LIMITS.tokens} tokens`);
    timings.tokens = ms;
  });

  test('alias bomb: 50 aliases of a real field → MAX_ALIASES_LIMIT', async () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `s${i}: structure(id: "${i + 1}") { id }`).join(' ');
    const { error, ms } = await expectRefused(`{ ${aliases} }`, undefined, 'MAX_ALIASES_LIMIT');
    expect(error).toMatchObject({ limit: LIMITS.aliases, measured: 50 });
    timings.aliases = ms;
  });

  test('too many root fields → MAX_ROOT_FIELDS_LIMIT', async () => {
    // Distinct root fields read from the schema (those needing no argument or only IDs): no alias involved.
    type Arg = { name: string; type: { kind: string; ofType: { name: string } | null } };
    const introspection = await succeeds<{
      __schema: { queryType: { fields: { name: string; args: Arg[]; type: { kind: string; ofType: { kind: string } | null } }[] } };
    }>(
      system.query(
        '{ __schema { queryType { fields { name args { name type { kind ofType { name } } } type { kind ofType { kind } } } } } }',
        undefined,
        admin,
      ),
    );
    const required = (f: { args: Arg[] }) => f.args.filter((a) => a.type.kind === 'NON_NULL');
    const usable = introspection.__schema.queryType.fields.filter((f) => required(f).every((a) => a.type.ofType?.name === 'ID'));
    expect(usable.length).toBeGreaterThan(LIMITS.rootFields);
    const selection = usable
      .slice(0, LIMITS.rootFields + 1)
      .map((f) => {
        const args = required(f).length
          ? `(${required(f)
              .map((a) => `${a.name}: "1"`)
              .join(', ')})`
          : '';
        const kind = f.type.kind === 'NON_NULL' ? f.type.ofType!.kind : f.type.kind;
        return kind === 'SCALAR' || kind === 'ENUM' ? `${f.name}${args}` : `${f.name}${args} { __typename }`;
      })
      .join(' ');
    const { error, ms } = await expectRefused(`{ ${selection} }`, undefined, 'MAX_ROOT_FIELDS_LIMIT');
    expect(error).toMatchObject({ limit: LIMITS.rootFields, measured: LIMITS.rootFields + 1 });
    timings.rootFields = ms;
  });

  test('directive flood: 25 directives → MAX_DIRECTIVES_LIMIT; 500 on one field never reach it (validation)', async () => {
    const flood = Array.from({ length: 25 }, () => '__typename @include(if: true)').join(' ');
    const { error, ms } = await expectRefused(`{ structures(first: 1) { ${flood} } }`, undefined, 'MAX_DIRECTIVES_LIMIT');
    expect(error).toMatchObject({ limit: LIMITS.directives, measured: 25 });
    timings.directives = ms;
    const duplicates = '@include(if: true) '.repeat(500);
    // Validation reports each duplicate, so this refusal has many errors: the first one says what is wrong.
    await expectRefused(`{ structures(first: 1) { totalCount ${duplicates} } }`, undefined, 'GRAPHQL_VALIDATION_FAILED', 400, (response) =>
      failsWith('GRAPHQL_VALIDATION_FAILED', { errors: response.errors?.slice(0, 1) }),
    );
  });

  test('fragment fan-out: 30 levels (2^30 expanded selections in 1.5 kB) refused without expanding it', async () => {
    const source = fanOut(30, 'id');
    expect(source.length).toBeLessThan(2_000);
    const { error, ms } = await expectRefused(source, undefined, ErrorCode.MAX_SELECTIONS_LIMIT);
    expect(error).toMatchObject({ limit: LIMITS.selections, measured: 3 + 2 ** 30 });
    timings.fanOut30 = ms;
  });

  test('fragment fan-out of objects, 12 levels: refused on selections before the gateway plans 4,096 branches', async () => {
    const { ms } = await expectRefused(fanOut(12, 'departement { code }'), undefined, ErrorCode.MAX_SELECTIONS_LIMIT);
    timings.fanOut12Objects = ms;
  });

  test('fragment cycles are refused by validation', async () => {
    const cycle =
      '{ structure(id: "1") { ...A } } fragment A on Structure { conseillers { structure { ...B } } } fragment B on Structure { ...A }';
    const { error, ms } = await expectRefused(cycle, undefined, 'GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toMatch(/Cannot spread fragment "A" within itself/);
    timings.cycle = ms;
  });

  test('cost: an expensive but well-formed query → COST_ESTIMATED_TOO_EXPENSIVE, priced in extensions', async () => {
    const query = '{ structures(first: 100) { edges { node { conseillers { cras(last: 100) { id } } } } } }';
    const expected = 1 + 100 * (1 + 1 + ADVISORS * (1 + 100));
    const { error, response, ms } = await expectRefused(query, undefined, 'COST_ESTIMATED_TOO_EXPENSIVE');
    expect(error).toMatchObject({ limit: MAX_COST.user, measured: expected });
    expect(response.json?.extensions?.cost).toMatchObject({ requestedQueryCost: expected });
    timings.cost = ms;
  });

  test('`first: 101` in a variable → BAD_USER_INPUT (never clamped)', async () => {
    const { error, ms } = await expectRefused('query ($n: Int) { structures(first: $n) { totalCount } }', { n: 101 }, 'BAD_USER_INPUT');
    expect(error).toMatchObject({ field: 'first', value: 101 });
    timings.first101 = ms;
  });

  test('an operation type the API does not have → 400, not a server error', async () => {
    await expectRefused('subscription { __typename }', undefined, 'GRAPHQL_VALIDATION_FAILED');
  });

  test(`a body over ${LIMITS.bodyBytes} bytes (a huge string) → 413`, async () => {
    const { total, result } = await countStatements(Object.values(system.orms), () =>
      post(JSON.stringify({ query: `{ structure(id: "${'x'.repeat(LIMITS.bodyBytes)}") { id } }` })),
    );
    expect(result.status).toBe(413);
    expect(total).toBe(0);
    expect((await system.query(ALIVE, undefined, admin)).status).toBe(200);
    timings.bodyOverLimit = result.ms;
  });

  test('the cost limit depends on the caller: 1,000 for a partner key, 5,000 for a dashboard user', async () => {
    const query = '{ structures(first: 100) { edges { node { conseillers { id } contracts { id } } } } }';
    const cost = 1 + 100 * (1 + 1 + ADVISORS + CONTRACTS);
    expect(cost).toBeGreaterThan(MAX_COST.api_key);
    const { key } = await system.apiKeys.create({ name: `limits ${uniqueId()}`, scopes: ['structures:read', 'recruitment:read'] });
    const asKey = await system.query(query, undefined, { authorization: `Bearer ${key}` });
    expect(asKey.status).toBe(400);
    expect(await failsWith('COST_ESTIMATED_TOO_EXPENSIVE', asKey)).toMatchObject({ limit: MAX_COST.api_key, measured: cost });
    await succeeds(system.query(query, undefined, admin));
  });

  test('authorization before cost: an anonymous caller of a restricted field is told to sign in, not the price', async () => {
    const query = '{ structures(first: 100) { edges { node { conseillers { id } } } } }';
    expect(1 + 100 * (1 + 1 + ADVISORS)).toBeGreaterThan(MAX_COST.anonymous);
    const anonymous = await system.query(query);
    expect(anonymous.status).toBe(401);
    await failsWith(ErrorCode.UNAUTHENTICATED, anonymous);
    // A caller who may read it still hears the price.
    const { key } = await system.apiKeys.create({ name: `limits ${uniqueId()}`, scopes: ['structures:read', 'recruitment:read'] });
    const expensive = '{ structures(first: 100) { edges { node { conseillers { id } contracts { id } } } } }';
    await failsWith(ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE, system.query(expensive, undefined, { authorization: `Bearer ${key}` }));
  });
});

describe('cost reporting', () => {
  test('every executed response carries extensions.cost and the rate-limit headers', async () => {
    const headers = await system.bearer({ sub: `cost-${uniqueId()}`, role: 'admin' });
    const {
      status,
      json,
      headers: responseHeaders,
    } = await post(JSON.stringify({ query: '{ structures(first: 3) { edges { node { id } } totalCount } }' }), headers);
    expect(status).toBe(200);
    const cost = json!.extensions!.cost as { requestedQueryCost: number; actualQueryCost: number; throttleStatus: Record<string, number> };
    expect(cost.requestedQueryCost).toBe(1 + 3 * 2);
    const edges = (await succeeds<{ structures: { edges: unknown[] } }>(json!)).structures.edges.length;
    expect(cost.actualQueryCost).toBe(1 + edges * 2);
    // A fresh user: a full bucket minus what the answer actually cost (the rest was refunded), plus what
    // refilled meanwhile (100 points/s), never above the capacity.
    const { currentlyAvailable, ...policy } = cost.throttleStatus;
    expect(policy).toEqual({ maximumAvailable: BUCKETS.user.capacity, restoreRate: BUCKETS.user.restoreRate });
    expect(currentlyAvailable).toBeGreaterThanOrEqual(BUCKETS.user.capacity - cost.actualQueryCost);
    expect(currentlyAvailable).toBeLessThanOrEqual(BUCKETS.user.capacity);
    expect(responseHeaders.get('ratelimit-policy')).toBe(
      `"cost";q=${BUCKETS.user.capacity};w=${BUCKETS.user.capacity / BUCKETS.user.restoreRate}`,
    );
    expect(responseHeaders.get('ratelimit')).toBe(
      `"cost";r=${currentlyAvailable};t=${Math.ceil((BUCKETS.user.capacity - currentlyAvailable) / BUCKETS.user.restoreRate)}`,
    );
    expect(responseHeaders.get('x-ratelimit-remaining')).toBe(String(currentlyAvailable));
  });

  test('refused requests report their price too, without charging it', async () => {
    const headers = await system.bearer({ sub: `cost-${uniqueId()}`, role: 'admin' });
    const { json } = await post(JSON.stringify({ query: nested(11) }), headers);
    await failsWith('MAX_DEPTH_LIMIT', json!);
    expect(json!.extensions!.cost).toMatchObject({
      requestedQueryCost: expect.any(Number),
      throttleStatus: { currentlyAvailable: BUCKETS.user.capacity },
    });
  });

  test('a request refused before execution (authorization) costs only the minimum', async () => {
    const { key } = await system.apiKeys.create({ name: `cost ${uniqueId()}`, scopes: ['statistics:read'] });
    const query = '{ structures(first: 10) { edges { node { id } } } }';
    const { status, json, headers } = await post(JSON.stringify({ query }), { authorization: `Bearer ${key}` });
    expect(status).toBe(403);
    await failsWith('FORBIDDEN', json!);
    expect(json!.extensions!.cost).toMatchObject({ requestedQueryCost: 1 + 10 * 2 });
    expect(json!.extensions!.cost).not.toHaveProperty('actualQueryCost');
    expect(headers.get('x-ratelimit-used')).toBe(String(COST.minimum));
    expect(Number(headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(BUCKETS.api_key.capacity - COST.minimum);
  });
});

describe('HTTP guards stay on', () => {
  test('batched requests (a JSON array) are refused', async () => {
    const { total, result } = await countStatements(Object.values(system.orms), () =>
      post(JSON.stringify([{ query: ALIVE }, { query: ALIVE }])),
    );
    expect(result.status).toBe(400);
    expect(total).toBe(0);
  });

  test('CSRF prevention: a text/plain POST or a GET without a preflight header is refused', async () => {
    const textPlain = await post(JSON.stringify({ query: ALIVE }), { 'content-type': 'text/plain' });
    expect(textPlain.status).toBe(400);
    const url = `${system.gatewayUrl}?query=${encodeURIComponent(ALIVE)}`;
    const simpleGet = await fetch(url, { headers: admin });
    expect(simpleGet.status).toBe(400);
    expect(await simpleGet.text()).toContain('Cross-Site Request Forgery');
    // The same GET with the preflight header a browser cannot send cross-site without CORS consent works.
    const preflighted = await fetch(url, { headers: { ...admin, 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
  });
});
