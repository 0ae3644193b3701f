import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startTestSystem, type TestSystem } from '../support/system.js';

/** Production hardening for partner keys: no introspection, no field suggestions; dashboards keep the playground. */
let system: TestSystem;
let key: string;
beforeAll(async () => {
  system = await startTestSystem({ production: true });
  key = (await system.apiKeys.create({ name: 'prod partner', scopes: ['structures:read', 'statistics:read'] })).key;
});
afterAll(async () => {
  await system?.stop();
});

test('a partner key may not introspect', async () => {
  const response = await system.query('{ __schema { types { name } } }', undefined, { authorization: `Bearer ${key}` });
  expect(response.status).toBe(403);
  expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

test('a partner key gets no field suggestions', async () => {
  const response = await system.query('{ structure(id: "1") { nme } }', undefined, { authorization: `Bearer ${key}` });
  expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(response.errors?.[0]?.message).not.toMatch(/Did you mean/);
});

test('a dashboard user still can introspect (the playground)', async () => {
  const response = await system.query('{ __schema { queryType { name } } }', undefined, await system.bearer({ sub: 'p', role: 'admin' }));
  expect(response.status).toBe(200);
});
