import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { BAD_REQUESTS, expectJsonRefusal } from '../support/bad-requests.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/** What the gateway tells a client about the client's own mistakes: the truth, with a stable code, never HTML. */
let system: TestSystem;
let admin: Record<string, string>;
beforeAll(async () => {
  system = await startTestSystem();
  admin = await system.bearer({ sub: 'errors', role: 'admin' });
});
afterAll(async () => {
  await system?.stop();
});

describe('requests the HTTP layer cannot read get a GraphQL JSON error', () => {
  test.each(BAD_REQUESTS)('$name: $status $code', async (request) => {
    await expectJsonRefusal(system.gatewayUrl, request);
  });
});
