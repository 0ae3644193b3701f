import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_S, HSTS } from '../../gateway/http-policy.js';
import type { RunningGateway } from '../../gateway/server.js';
import { loadEnv } from '../../common/env.js';
import { startLoneGateway } from '../support/gateway.js';

/** CORS and security headers as plain HTTP: what a browser's preflight and a dashboard's POST are answered. */
const DASHBOARD = 'http://localhost:3000';
const OTHER = 'https://evil.example';
let gateway: RunningGateway;
beforeAll(async () => {
  gateway = await startLoneGateway({ corsOrigins: [DASHBOARD, 'https://tableau.example.fr'] });
});
afterAll(async () => {
  await gateway?.stop();
});

/** The preflight Chromium sends before a JSON POST carrying a token. */
const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });

const post = (url: string, headers: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ __typename }' }),
  });

const vary = (res: Response) => (res.headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase());

describe('preflight', () => {
  test('a listed origin is allowed, with the headers and methods the API needs, for two hours', async () => {
    const res = await preflight(gateway.url, DASHBOARD);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')?.split(',')).toEqual(['GET', 'POST']);
    const allowed = res.headers.get('access-control-allow-headers')?.split(',');
    for (const header of ['authorization', 'content-type', 'apollo-require-preflight', 'idempotency-key'])
      expect(allowed).toContain(header);
    expect(allowed).toEqual(CORS_ALLOWED_HEADERS);
    expect(res.headers.get('access-control-max-age')).toBe(String(CORS_MAX_AGE_S));
    expect(vary(res)).toContain('origin');
  });

  test('an unlisted origin is answered, without any Access-Control-Allow-Origin or credentials', async () => {
    for (const origin of [OTHER, 'http://localhost:3001', 'http://localhost', 'null']) {
      const res = await preflight(gateway.url, origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(vary(res)).toContain('origin');
    }
  });

  test('with no CORS_ORIGINS, no origin is allowed', async () => {
    const closed = await startLoneGateway();
    try {
      const res = await preflight(closed.url, DASHBOARD);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await closed.stop();
    }
  });
});

describe('the request itself', () => {
  test('a listed origin reads the answer and its rate-limit headers', async () => {
    const res = await post(gateway.url, { origin: DASHBOARD });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { __typename: 'Query' } });
    expect(res.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-expose-headers')?.split(',')).toEqual(
      expect.arrayContaining(['x-ratelimit-remaining', 'retry-after', 'ratelimit']),
    );
    expect(vary(res)).toContain('origin');
  });

  test('an unlisted origin gets no Access-Control-Allow-Origin: its page may not read the answer', async () => {
    const res = await post(gateway.url, { origin: OTHER });
    await res.text();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(vary(res)).toContain('origin');
  });
});

describe('security headers', () => {
  test('API answers are not sniffed, framed or rendered, and have no HSTS outside production', async () => {
    for (const res of [
      await post(gateway.url, {}),
      await fetch(new URL('/health', gateway.url)),
      await fetch(new URL('/nowhere', gateway.url)),
    ]) {
      await res.text();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  test('in production every answer has HSTS', async () => {
    const production = await startLoneGateway({ production: true });
    try {
      for (const path of ['/', '/health']) {
        const res = await fetch(new URL(path, production.url), { headers: { accept: 'text/html' } });
        await res.arrayBuffer();
        expect(res.headers.get('strict-transport-security')).toBe(HSTS);
      }
    } finally {
      await production.stop();
    }
  });
});

describe('CORS_ORIGINS and TRUST_PROXY', () => {
  test('a comma-separated list of exact origins', () => {
    const env = loadEnv({ CORS_ORIGINS: ' http://localhost:3000, https://tableau.example.fr ', TRUST_PROXY: '1' });
    expect(env.CORS_ORIGINS).toEqual(['http://localhost:3000', 'https://tableau.example.fr']);
    expect(env.TRUST_PROXY).toBe(1);
    expect(loadEnv({}).CORS_ORIGINS).toEqual([]);
    expect(loadEnv({}).TRUST_PROXY).toBe(0);
  });

  test.each(['*', 'https://tableau.example.fr/', 'https://tableau.example.fr/dashboards', 'tableau.example.fr'])(
    '%s is refused',
    (origin) => {
      expect(() => loadEnv({ CORS_ORIGINS: origin })).toThrow(/CORS_ORIGINS/);
    },
  );
});
