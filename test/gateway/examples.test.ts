import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { exampleOperations } from '../../examples/operations.js';
import { DEMO_USERS } from '../../gateway/dev-issuer.js';
import { startDemoSystem, type DemoSystem } from '../support/demo-system.js';
import { failsWith } from '../support/graphql.js';
import type { TestSystem } from '../support/system.js';

/**
 * The example operations (the playground's tabs, the benchmark's mix) run as they are, with their default
 * variables, on the demo data `npm start` seeds, each as the caller it is written for.
 */
const examples = exampleOperations();
let demo: DemoSystem;
let system: TestSystem;
beforeAll(async () => {
  demo = await startDemoSystem('conum_examples');
  system = demo.system;
});
afterAll(async () => {
  await demo?.stop();
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
    expect([example.name, (await failsWith('UNAUTHENTICATED', response)).message]).toEqual([example.name, expect.any(String)]);
  }
});

test('the playground opens with these tabs, each with the Authorization header it needs', async () => {
  const html = await (await fetch(system.gatewayUrl, { headers: { accept: 'text/html' } })).text();
  const config = /<script type="application\/json" id="graphiql-config">(.*?)<\/script>/s.exec(html)?.[1];
  const { options } = JSON.parse(config ?? 'null') as {
    options: { defaultQuery: string; defaultTabs: { query: string; headers: string | null }[] };
  };
  const header = (credentials: string) => JSON.stringify({ Authorization: `Bearer ${credentials}` }, null, 2);
  expect(options.defaultQuery).toBe(examples[0]!.query);
  expect(options.defaultTabs).toEqual(
    examples.map((e) => ({
      query: e.query,
      headers: {
        anonymous: null,
        user: header(`<token: npm run token -- ${'demoUser' in e.caller ? e.caller.demoUser : ''}>`),
        partner: header('<partner key: cng_live_…>'),
      }[e.caller.kind],
    })),
  );
  expect(options.defaultTabs.map((t) => t.headers)).toContain(header('<token: npm run token -- prefet-13>'));
});
