import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/env.js';
import {
  SIGNATURE_CLOCK_SKEW_MS,
  SIGNATURE_LIFETIME_MS,
  signViewer,
  TIMESTAMP_HEADER,
  verifyViewer,
  type Viewer,
} from '../../common/viewer.js';
import { failsWith, type GraphQLResult } from '../support/graphql.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/**
 * The identity the gateway signs for a subgraph call is good for that call only: that subgraph, that body, a few
 * seconds. A header set captured on the private network (a log, a proxy, a compromised subgraph) replays nothing.
 */
let system: TestSystem;
/** One call the gateway really made to recruitment, as it went on the wire. */
let captured: { headers: Record<string, string>; body: string; at: number };

const PREFET: Viewer = {
  kind: 'user',
  role: 'prefet',
  id: 'prefet-13',
  scopes: ['statistics:read', 'activity:read', 'structures:read', 'recruitment:read', 'conventions:read', 'training:read'],
  territory: { departements: ['13'], regions: [] },
  structureIds: null,
  conseillerIds: null,
  network: null,
};

beforeAll(async () => {
  system = await startTestSystem();
  const recruitment = system.subgraphs.find((s) => s.name === 'recruitment')!.url;
  const realFetch = globalThis.fetch;
  const calls: (typeof captured)[] = [];
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    if (String(input) === recruitment)
      calls.push({ headers: { ...(init?.headers as Record<string, string>) }, body: String(init?.body), at: Date.now() });
    return realFetch(input, init);
  }) as typeof fetch;
  try {
    const response = await system.query(
      '{ structures(first: 1) { totalCount } }',
      undefined,
      await system.bearer({ sub: 'prefet-13', role: 'prefet', departements: ['13'] }),
    );
    expect(response.errors).toBeUndefined();
  } finally {
    globalThis.fetch = realFetch;
  }
  expect(calls).toHaveLength(1);
  captured = calls[0]!;
});
afterAll(async () => {
  await system?.stop();
});

/** POSTs `body` to a subgraph with the given headers, bypassing the test helper's own signing. */
async function replay(subgraph: SubgraphName, headers: Record<string, string>, body: string) {
  const res = await fetch(system.subgraphs.find((s) => s.name === subgraph)!.url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, body: (await res.json()) as GraphQLResult };
}

describe('a captured signed identity', () => {
  test('is accepted as captured while it lives (the control: same subgraph, same body, within 30 s)', async () => {
    const { status, body } = await replay('recruitment', captured.headers, captured.body);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  test('replayed with another body is refused (401 UNAUTHENTICATED)', async () => {
    const other = JSON.stringify({ query: '{ structures(first: 100) { edges { node { id name } } } }' });
    const { status, body } = await replay('recruitment', captured.headers, other);
    expect(status).toBe(401);
    await failsWith('UNAUTHENTICATED', body);
    // Even a body that differs only by its layout: the hash covers the bytes.
    expect((await replay('recruitment', captured.headers, ` ${captured.body}`)).status).toBe(401);
  });

  test.each(SUBGRAPH_NAMES.filter((n) => n !== 'recruitment'))('replayed on %s is refused (401 UNAUTHENTICATED)', async (subgraph) => {
    const { status, body } = await replay(subgraph, captured.headers, captured.body);
    expect(status).toBe(401);
    await failsWith('UNAUTHENTICATED', body);
  });

  test('is refused once its lifetime (plus clock skew) has passed', () => {
    const call = { subgraph: 'recruitment', body: Buffer.from(captured.body) };
    const signedAt = Number(captured.headers[TIMESTAMP_HEADER]);
    expect(verifyViewer(captured.headers, system.gatewaySecret, call, signedAt + SIGNATURE_LIFETIME_MS)).toMatchObject({ role: 'prefet' });
    expect(
      verifyViewer(captured.headers, system.gatewaySecret, call, signedAt + SIGNATURE_LIFETIME_MS + SIGNATURE_CLOCK_SKEW_MS + 1),
    ).toBeNull();
  });

  test('sent without a body (GET) is refused: there is nothing the signature covers', async () => {
    const url = `${system.subgraphs.find((s) => s.name === 'recruitment')!.url}?query=${encodeURIComponent('{ __typename }')}`;
    const res = await fetch(url, { headers: { ...captured.headers, 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(401);
  });
});

describe('an identity signed for a call', () => {
  const QUERY = '{ structures(first: 1) { totalCount } }';
  const body = JSON.stringify({ query: QUERY });

  test('made for it passes, on every subgraph', async () => {
    for (const subgraph of SUBGRAPH_NAMES) {
      const response = await system.querySubgraph(subgraph, '{ __typename }', undefined, { viewer: PREFET });
      expect([subgraph, response.status, response.errors]).toEqual([subgraph, 200, undefined]);
    }
  });

  test(`older than ${SIGNATURE_LIFETIME_MS / 1000} s (plus skew) is refused over HTTP`, async () => {
    const stale = signViewer(
      PREFET,
      system.gatewaySecret,
      { subgraph: 'recruitment', body },
      Date.now() - SIGNATURE_LIFETIME_MS - SIGNATURE_CLOCK_SKEW_MS - 1_000,
    );
    expect((await system.querySubgraph('recruitment', QUERY, undefined, { headers: stale })).status).toBe(401);
  });

  test('dated in the future beyond the clock skew is refused', async () => {
    const early = signViewer(
      PREFET,
      system.gatewaySecret,
      { subgraph: 'recruitment', body },
      Date.now() + SIGNATURE_CLOCK_SKEW_MS + 10_000,
    );
    expect((await system.querySubgraph('recruitment', QUERY, undefined, { headers: early })).status).toBe(401);
  });

  test('for another subgraph is refused', async () => {
    const forTraining = signViewer(PREFET, system.gatewaySecret, { subgraph: 'training', body });
    expect((await system.querySubgraph('recruitment', QUERY, undefined, { headers: forTraining })).status).toBe(401);
  });
});
