import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { getIntrospectionQuery } from 'graphql';
import { startTestSystem, type TestSystem } from '../support/system.js';

/**
 * The introspection policy (gateway/authorization.ts `mayIntrospect`), cell by cell: caller kind × NODE_ENV. Each
 * gateway is started under that NODE_ENV, as a deployment starts it, so Apollo Server's own default counts too.
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
      system = await startTestSystem();
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
          expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
          expect(response.data).toBeUndefined();
        }
      }
    });

    test(`${allowed ? 'gets' : 'gets no'} field suggestions`, async () => {
      // A public field, so that the typo is the only error for every caller.
      const response = await system.query('{ departements { cod } }', undefined, headers[caller]);
      expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.errors?.[0]?.message).toMatch(/^Cannot query field "cod" on type "Departement"\./);
      if (allowed) expect(response.errors?.[0]?.message).toMatch(/Did you mean "code"\?/);
      else expect(response.errors?.[0]?.message).not.toMatch(/Did you mean/);
    });
  });

  test('every caller may ask for __typename', async () => {
    for (const caller of CALLERS) expect(await system.query('{ __typename }', undefined, headers[caller])).toMatchObject({ status: 200, data: { __typename: 'Query' } });
  });
});
