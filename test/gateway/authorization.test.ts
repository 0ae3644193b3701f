import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ConumClaims } from '../../gateway/auth.js';
import { ROLE_SCOPES, SCOPES, type Scope } from '../../common/viewer.js';
import { failsWith } from '../support/graphql.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/**
 * The authorization matrix: every kind of caller × every group of types, asserting both what must be readable
 * and what must be refused. The expected cell is computed from the policy (role → scopes, key → its scopes,
 * type → the scope its `@access` names), and the test asks the running gateway.
 */
let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

/** One query per group of the graph, and the scope each protected type it reads demands through `@access`. */
const GROUPS: { name: string; query: string; protects: Record<string, Scope> }[] = [
  { name: 'structures', query: '{ structure(id: "1") { id name } }', protects: { Structure: 'structures:read' } },
  { name: 'people (recruitment)', query: '{ conseiller(id: "1") { id } }', protects: { Conseiller: 'recruitment:read' } },
  {
    name: 'personal data',
    query: '{ conseiller(id: "1") { id personalData { __typename } } }',
    protects: { Conseiller: 'recruitment:read', ConseillerPersonalData: 'personal-data:read' },
  },
  { name: 'conventions', query: '{ convention(id: "1") { id } }', protects: { Convention: 'conventions:read' } },
  { name: 'training', query: '{ trainingPath(id: "1") { id } }', protects: { TrainingPath: 'training:read' } },
  { name: 'activity reports', query: '{ cra(id: "1") { id } }', protects: { Cra: 'activity:read' } },
  {
    name: 'statistics',
    query: '{ craStatistics(filter: { from: "2024-01-01", to: "2024-01-31" }) { __typename } }',
    protects: { CraStatistics: 'statistics:read' },
  },
];

type Caller = { name: string; scopes: readonly Scope[]; headers: () => Promise<Record<string, string>>; anonymous?: boolean };

const USERS: Record<string, ConumClaims> = {
  admin: { sub: 'u-admin', role: 'admin' },
  prefet: { sub: 'u-prefet', role: 'prefet', departements: ['13'] },
  hub: { sub: 'u-hub', role: 'hub', regions: ['93'] },
  grand_reseau: { sub: 'u-reseau', role: 'grand_reseau', network: 'LA_POSTE' },
  coordinateur: { sub: 'u-coord', role: 'coordinateur', conseiller_ids: [1, 2] },
  structure: { sub: 'u-structure', role: 'structure', structure_ids: [1] },
  conseiller: { sub: 'u-conseiller', role: 'conseiller', conseiller_ids: [1] },
};

const callers: Caller[] = [
  { name: 'anonymous', scopes: ROLE_SCOPES.anonymous, headers: async () => ({}), anonymous: true },
  ...Object.entries(USERS).map(([name, claims]) => ({
    name: `dashboard ${name}`,
    scopes: ROLE_SCOPES[claims.role as keyof typeof ROLE_SCOPES],
    headers: () => system.bearer(claims),
  })),
  ...SCOPES.map((scope) => {
    let key: string | undefined;
    return {
      name: `API key with ${scope}`,
      scopes: [scope],
      headers: async () => {
        key ??= (await system.apiKeys.create({ name: `matrix ${scope}`, scopes: [scope] })).key;
        return { authorization: `Bearer ${key}` };
      },
    };
  }),
];

describe.each(callers)('$name', (caller) => {
  test.each(GROUPS)('$name', async (group) => {
    const denied = Object.entries(group.protects).filter(([, scope]) => !caller.scopes.includes(scope));
    const allowed = denied.length === 0;
    const response = await system.query(group.query, undefined, await caller.headers());
    const authErrors = (response.errors ?? []).filter((e) => ['FORBIDDEN', 'UNAUTHENTICATED'].includes(String(e.extensions?.code)));
    if (allowed) {
      expect(authErrors).toEqual([]);
      expect(response.status).toBe(200);
    } else {
      expect(response.status).toBe(caller.anonymous ? 401 : 403);
      expect(response.data ?? null).toBeNull();
      expect(authErrors).toHaveLength(1);
      const error = authErrors[0]!;
      expect(error.extensions?.code).toBe(caller.anonymous ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      expect(error.extensions?.fields).toEqual(denied.map(([type]) => type));
      expect(error.extensions?.missingScopes).toEqual([...new Set(denied.map(([, scope]) => scope))]);
    }
  });
});

describe('rules hold through every way of asking', () => {
  test('fragments and aliases do not hide a protected type', async () => {
    const key = (await system.apiKeys.create({ name: 'stats only', scopes: ['statistics:read'] })).key;
    const response = await system.query(
      `query { a: structure(id: "1") { ...S } } fragment S on Structure { id ... on Structure { name } }`,
      undefined,
      { authorization: `Bearer ${key}` },
    );
    expect(response.status).toBe(403);
    expect(await failsWith('FORBIDDEN', response)).toMatchObject({ missingScopes: ['structures:read'] });
  });

  test('a protected type reached through another subgraph is refused too', async () => {
    const key = (await system.apiKeys.create({ name: 'conventions only', scopes: ['conventions:read'] })).key;
    const response = await system.query('{ convention(id: "1") { id structure { id name } } }', undefined, {
      authorization: `Bearer ${key}`,
    });
    expect(response.status).toBe(403);
    expect(await failsWith('FORBIDDEN', response)).toMatchObject({
      missingScopes: ['structures:read'],
      fields: expect.arrayContaining(['Structure']),
    });
  });

  test('the same query text is allowed for one caller and refused for the next (no cached decision)', async () => {
    const query = '{ trainingPath(id: "1") { id } }';
    const training = (await system.apiKeys.create({ name: 'training', scopes: ['training:read'] })).key;
    const other = (await system.apiKeys.create({ name: 'activity', scopes: ['activity:read'] })).key;
    for (let i = 0; i < 2; i++) {
      expect((await system.query(query, undefined, { authorization: `Bearer ${training}` })).status).toBe(200);
      expect((await system.query(query, undefined, { authorization: `Bearer ${other}` })).status).toBe(403);
    }
  });

  test('anonymous callers may introspect (the playground), and read public statistics', async () => {
    const response = await system.query('{ __schema { queryType { name } } }');
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('writes', () => {
  // Any mutation of the graph will do: the gateway refuses before any subgraph sees it.
  const MUTATION = 'mutation { __typename }';

  test('partner keys are read-only, whatever their scopes', async () => {
    const key = (await system.apiKeys.create({ name: 'all scopes', scopes: [...SCOPES] })).key;
    const response = await system.query(MUTATION, undefined, { authorization: `Bearer ${key}` });
    expect(response.status).toBe(403);
    await failsWith('FORBIDDEN', response);
  });

  test('anonymous callers must sign in', async () => {
    const response = await system.query(MUTATION);
    expect(response.status).toBe(401);
    await failsWith('UNAUTHENTICATED', response);
  });

  test('a dashboard user reaches the subgraphs', async () => {
    const response = await system.query(MUTATION, undefined, await system.bearer({ sub: 'writer', role: 'admin' }));
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ __typename: 'Mutation' });
  });
});
