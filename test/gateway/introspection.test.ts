import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { getIntrospectionQuery } from 'graphql';
import { failsWith, succeeds } from '../support/graphql.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/**
 * The introspection policy (gateway/authorization.ts `mayIntrospect`), cell by cell: caller kind × NODE_ENV. Each
 * gateway is started under that NODE_ENV and told it, as gateway/index.ts starts it, so Apollo Server's own default
 * counts too.
 * The probe is GraphiQL's own introspection query: what the playground sends when it opens.
 */
const CALLERS = ['anonymous', 'user', 'api_key'] as const;
type Caller = (typeof CALLERS)[number];
const POLICY: Record<'production' | 'development', Record<Caller, boolean>> = {
  production: { anonymous: false, user: true, api_key: true },
  development: { anonymous: true, user: true, api_key: true },
};

describe.each(['production', 'development'] as const)('NODE_ENV=%s', (nodeEnv) => {
  let system: TestSystem;
  const headers = {} as Record<Caller, Record<string, string>>;
  beforeAll(async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = nodeEnv;
    try {
      system = await startTestSystem({ production: nodeEnv === 'production' });
    } finally {
      process.env.NODE_ENV = previous;
    }
    const { key } = await system.apiKeys.create({ name: `introspection ${nodeEnv}`, scopes: ['structures:read', 'statistics:read'] });
    headers.anonymous = {};
    headers.user = await system.bearer({ sub: `introspection-${nodeEnv}`, role: 'prefet', departements: ['13'] });
    headers.api_key = { authorization: `Bearer ${key}` };
  });
  afterAll(async () => {
    await system?.stop();
  });

  describe.each(CALLERS)('%s', (caller) => {
    const allowed = POLICY[nodeEnv][caller];

    test(`${allowed ? 'may' : 'may not'} introspect`, async () => {
      for (const query of [getIntrospectionQuery(), '{ __type(name: "Structure") { name fields { name } } }']) {
        const response = await system.query(query, undefined, headers[caller]);
        if (allowed) {
          expect(response.errors).toBeUndefined();
          expect(response.status).toBe(200);
        } else {
          expect(response.status).toBe(401);
          await failsWith('UNAUTHENTICATED', response);
          expect(response.data).toBeUndefined();
        }
      }
    });

    test(`${allowed ? 'gets' : 'gets no'} field suggestions`, async () => {
      // A public field, so that the typo is the only error for every caller.
      const response = await system.query('{ departements { cod } }', undefined, headers[caller]);
      const { message } = await failsWith('GRAPHQL_VALIDATION_FAILED', response);
      expect(message).toMatch(/^Cannot query field "cod" on type "Departement"\./);
      if (allowed) expect(message).toMatch(/Did you mean "code"\?/);
      else expect(message).not.toMatch(/Did you mean/);
    });
  });

  describe.each(CALLERS)('%s, whoever may introspect', (caller) => {
    test('15 aliased __schema are refused before execution, with the same code for every caller', async () => {
      const query = `{ ${Array.from({ length: 15 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ')} }`;
      const response = await system.query(query, undefined, headers[caller]);
      expect(response.status).toBe(400);
      expect(response.data).toBeUndefined();
      expect(response.errors?.map((e) => e.extensions)).toEqual([
        expect.objectContaining({ code: 'MAX_INTROSPECTION_LIMIT', limit: 1, measured: 15 }),
      ]);
    });

    test('__schema counts once per response key, fragments expanded; __type at most 10 times', async () => {
      const fragments =
        'fragment A on Query { __schema { queryType { name } } } fragment B on Query { b: __schema { queryType { name } } }';
      const twice = await system.query(`{ ...A ... on Query { ...A } ...B } ${fragments}`, undefined, headers[caller]);
      expect(twice.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'MAX_INTROSPECTION_LIMIT', measured: 2 })]);
      const types = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: __type(name: "Structure") { name }`).join(' ')} }`;
      expect((await system.query(types(11), undefined, headers[caller])).errors?.map((e) => e.extensions)).toEqual([
        expect.objectContaining({ code: 'MAX_INTROSPECTION_LIMIT', limit: 10, measured: 11 }),
      ]);
      const allowed = POLICY[nodeEnv][caller];
      for (const query of [`{ ...A ... on Query { ...A } } ${fragments.slice(0, fragments.indexOf(' fragment B'))}`, types(10)]) {
        const response = await system.query(query, undefined, headers[caller]);
        if (allowed) await succeeds(response);
        else await failsWith('UNAUTHENTICATED', response);
      }
    });
  });

  test("introspection costs what it returns: one point per 2 kB, estimated at what GraphiQL's query returns", async () => {
    const response = await system.query<{ __schema: unknown }>(getIntrospectionQuery(), undefined, headers.user);
    const points = Math.ceil(JSON.stringify(response.data?.__schema).length / 2048);
    expect(points).toBeGreaterThan(100);
    expect(response.extensions?.cost).toMatchObject({ requestedQueryCost: points, actualQueryCost: points });
    // A smaller selection gets the difference back.
    const small = await system.query('{ __schema { queryType { name } } }', undefined, headers.user);
    expect(small.extensions?.cost).toMatchObject({ requestedQueryCost: points, actualQueryCost: 1 });
  });

  test('every caller may ask for __typename', async () => {
    for (const caller of CALLERS)
      expect(await system.query('{ __typename }', undefined, headers[caller])).toMatchObject({
        status: 200,
        data: { __typename: 'Query' },
      });
  });
});
