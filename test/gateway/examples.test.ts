import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { exampleOperations } from '../../examples/operations.js';
import { DEMO_USERS } from '../../gateway/dev-issuer.js';
import { migrate } from '../../subgraphs/common/db.js';
import { openSubgraphOrm, prepareDatabase } from '../../subgraphs/common/server.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/**
 * The example operations (the playground's tabs, the benchmark's mix) run as they are, with their default
 * variables, on the demo data `npm start` seeds, each as the caller it is written for.
 */
const examples = exampleOperations();
let database: TestDatabase;
let system: TestSystem;
beforeAll(async () => {
  database = await createTestDatabase('conum_examples', { migrated: true });
  for (const definition of Object.values(subgraphs)) {
    const orm = await openSubgraphOrm(definition, database.url, 2);
    await migrate(orm);
    await prepareDatabase(definition, orm, true);
    await orm.close();
  }
  system = await startTestSystem({ databaseUrl: database.url });
});
afterAll(async () => {
  await system?.stop();
  await database?.drop();
});

async function headersFor(caller: (typeof examples)[number]['caller']): Promise<Record<string, string>> {
  if (caller.kind === 'anonymous') return {};
  if (caller.kind === 'user') return system.bearer(DEMO_USERS[caller.demoUser]!);
  const { key } = await system.apiKeys.create({ name: 'examples test', scopes: caller.scopes as never });
  return { authorization: `Bearer ${key}` };
}

test('there is a first, anonymous tab and one per main dashboard screen', () => {
  expect(examples[0]?.caller).toEqual({ kind: 'anonymous' });
  expect(examples.map((e) => e.name)).toEqual(
    expect.arrayContaining(['2-prefet-overview', '3-structure-advisors', '4-national-statistics', '5-partner-export']),
  );
});

describe.each(examples.map((e) => [e.name, e] as const))('%s', (_name, example) => {
  test('runs without errors as the caller it is meant for, and returns data', async () => {
    const response = await system.query(example.query, undefined, await headersFor(example.caller));
    expect(response.errors).toBeUndefined();
    expect(response.status).toBe(200);
    for (const value of Object.values(response.data ?? {})) expect(value).not.toBeNull();
  });

  test('fits a playground pane: lines of at most 60 characters', () => {
    expect(example.query.split('\n').filter((line) => line.length > 60)).toEqual([]);
  });
});

test('the tabs meant for signed-in callers are refused without their credentials', async () => {
  for (const example of examples.filter((e) => e.caller.kind !== 'anonymous')) {
    const response = await system.query(example.query);
    expect([example.name, response.errors?.[0]?.extensions?.code, response.errors?.[0]?.message]).toEqual([example.name, 'UNAUTHENTICATED', expect.any(String)]);
  }
});

test('the playground opens with these tabs, each with the Authorization header it needs', async () => {
  const html = await (await fetch(system.gatewayUrl, { headers: { accept: 'text/html' } })).text();
  // Named rather than matched against the page: a failure must not print its 9 MB.
  const missing = (texts: Record<string, string>) => Object.keys(texts).filter((name) => !html.includes(JSON.stringify(texts[name])));
  expect(missing(Object.fromEntries(examples.map((e) => [e.name, e.query])))).toEqual([]);
  const header = (credentials: string) => JSON.stringify({ Authorization: `Bearer ${credentials}` }, null, 2);
  expect(missing({ user: header('<token: npm run token -- prefet-13>'), partner: header('<partner key: cng_live_…>') })).toEqual([]);
});
