import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { css, editorWorkerService, graphqlWorker, js, jsonWorker } from '@graphql-yoga/render-graphiql/graphiql';
import { COMPRESSION_THRESHOLD_BYTES } from '../../gateway/http-policy.js';
import { PLAYGROUND_CSP } from '../../gateway/landing-page.js';
import type { RunningGateway } from '../../gateway/server.js';
import { startLoneGateway } from '../support/gateway.js';

/** The playground page and its files on the wire: size, encodings, validators, caching, headers and the page-load limit. */
interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as sent (compressed when Content-Encoding says so). */
  wire: Buffer;
  /** The bytes decoded. */
  body: Buffer;
}

function answer(res: http.IncomingMessage, wire: Buffer): Answer {
  // A 304 has the selected encoding's headers and no body.
  const encoding = wire.length ? res.headers['content-encoding'] : undefined;
  const body = encoding === 'br' ? zlib.brotliDecompressSync(wire) : encoding === 'gzip' ? zlib.gunzipSync(wire) : wire;
  return { status: res.statusCode!, headers: res.headers, wire, body };
}

/** A GET that keeps the bytes as sent (fetch would ask for and undo compression by itself). */
function get(url: string | URL, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolve(answer(res, Buffer.concat(chunks)));
          } catch (error) {
            reject(error);
          }
        });
      })
      .on('error', reject);
  });
}

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
/** What Chromium sends over plain HTTP. */
const BROWSER = { ...HTML, 'accept-encoding': 'gzip, deflate, br, zstd' };

/** The files the page loads: stylesheet, icon and scripts from its tags, editor workers from its configuration. */
function filesOf(page: string): string[] {
  const tags = [...page.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
  const config = JSON.parse(page.match(/<script type="application\/json" id="graphiql-config">(.*?)<\/script>/s)![1]!) as {
    workers: Record<string, string>;
  };
  return [...tags, ...Object.values(config.workers)];
}

let gateway: RunningGateway;
let page: Answer;
beforeAll(async () => {
  gateway = await startLoneGateway();
  page = await get(gateway.url, BROWSER);
});
afterAll(async () => {
  await gateway?.stop();
});

describe('the page', () => {
  test('is a small HTML document, brotli-compressed, revalidated on each load with a strong ETag', () => {
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers.vary).toMatch(/Accept-Encoding/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers.etag).toMatch(/^"[0-9a-f]{32}-br"$/);
    expect(page.body.toString()).toContain('<div id="root"></div>');
    // It was the whole 9 MB GraphiQL bundle inline.
    expect(page.wire.length).toBeLessThan(2_000);
    expect(Number(page.headers['content-length'])).toBe(page.wire.length);
  });

  test('an unchanged page is a 304 without a body', async () => {
    const again = await get(gateway.url, { ...BROWSER, 'if-none-match': page.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.wire.length).toBe(0);
    expect(again.headers.etag).toBe(page.headers.etag);
  });

  test('each encoding has its own ETag; a client that accepts none gets the bytes as they are', async () => {
    const gzip = await get(gateway.url, { ...HTML, 'accept-encoding': 'gzip' });
    const identity = await get(gateway.url, HTML);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(new Set([page.headers.etag, gzip.headers.etag, identity.headers.etag]).size).toBe(3);
    expect(gzip.body.equals(page.body) && identity.body.equals(page.body)).toBe(true);
    expect((await get(gateway.url, { ...HTML, 'if-none-match': page.headers.etag! })).status).toBe(200);
  });

  test('has a CSP that allows this origin only, and may not be framed', () => {
    expect(page.headers['content-security-policy']).toBe(PLAYGROUND_CSP);
    for (const directive of PLAYGROUND_CSP.split('; ')) {
      // Only keywords, 'self' and data: (inlined icons and fonts): no host, no scheme-wide source such as https: or blob:.
      expect(
        directive
          .split(' ')
          .slice(1)
          .every((source) => source.startsWith("'") || source === 'data:'),
      ).toBe(true);
    }
    expect(PLAYGROUND_CSP).toContain("script-src 'self'");
    expect(PLAYGROUND_CSP).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  test('a GraphQL GET (Accept: JSON) is still the API, not the page', async () => {
    const res = await get(new URL('/?query=%7B__typename%7D', gateway.url), {
      accept: 'application/json',
      'apollo-require-preflight': '1',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toMatchObject({ data: { __typename: 'Query' } });
  });
});

describe('its files', () => {
  test('are the GraphiQL bundle, its styles and workers, compressed, immutable and cached for a year', async () => {
    const files = filesOf(page.body.toString());
    expect(files).toHaveLength(7);
    const bodies: Buffer[] = [];
    let wire = page.wire.length;
    for (const file of files) {
      expect(file).toMatch(/^\/playground\/[a-z.]+\.[0-9a-f]{12}\.(js|css|ico)$/);
      const res = await get(new URL(file, gateway.url), BROWSER);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers.etag).toMatch(/^"[0-9a-f]{32}-br"$/);
      expect(res.headers['content-security-policy']).toBe(PLAYGROUND_CSP);
      expect((await get(new URL(file, gateway.url), { ...BROWSER, 'if-none-match': res.headers.etag! })).status).toBe(304);
      bodies.push(res.body);
      wire += res.wire.length;
    }
    for (const source of [js, css, editorWorkerService, jsonWorker, graphqlWorker]) {
      expect(bodies.some((body) => body.equals(Buffer.from(source)))).toBe(true);
    }
    // 9,054,713 bytes, uncompressed, before: a first visit is now under a quarter of that.
    expect(wire).toBeLessThan(9_054_713 / 4);
  });

  test('a name that is not one of them is a JSON 404', async () => {
    const res = await get(new URL('/playground/graphiql.000000000000.js', gateway.url), BROWSER);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString()).errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('API answers', () => {
  const introspection = JSON.stringify({ query: '{ __schema { types { name fields { name } } } }' });
  const post = (body: string, headers: Record<string, string>) =>
    new Promise<Answer>((resolve, reject) => {
      const req = http.request(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve(answer(res, Buffer.concat(chunks)));
          } catch (error) {
            reject(error);
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });

  test(`JSON over ${COMPRESSION_THRESHOLD_BYTES} bytes is compressed, smaller answers are not`, async () => {
    const large = await post(introspection, { 'accept-encoding': 'br' });
    expect(large.status).toBe(200);
    expect(large.headers['content-encoding']).toBe('br');
    expect(large.body.length).toBeGreaterThan(COMPRESSION_THRESHOLD_BYTES);
    expect(large.wire.length).toBeLessThan(large.body.length / 3);
    expect(JSON.parse(large.body.toString()).data.__schema.types.length).toBeGreaterThan(10);
    const small = await post(JSON.stringify({ query: '{ __typename }' }), { 'accept-encoding': 'br' });
    expect(small.headers['content-encoding']).toBeUndefined();
  });
});

describe('page loads per client address', () => {
  const LOADS = 3;
  const behind = async (trustProxy: number) => startLoneGateway({ trustProxy, pageBucket: { capacity: LOADS, restoreRate: 0.001 } });

  test('beyond the bucket, a load is refused 429 in JSON with Retry-After', async () => {
    const limited = await behind(0);
    try {
      for (let i = 0; i < LOADS; i++) expect((await get(limited.url, BROWSER)).status).toBe(200);
      const refused = await get(limited.url, BROWSER);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(refused.body.toString()).errors[0].extensions.code).toBe('RATE_LIMITED');
      // The files count too: they are the bytes.
      expect((await get(new URL(filesOf(page.body.toString())[0]!, limited.url), BROWSER)).status).toBe(429);
      // Without TRUST_PROXY, X-Forwarded-For is the client's own claim and changes nothing.
      expect((await get(limited.url, { ...BROWSER, 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
    } finally {
      await limited.stop();
    }
  });

  test('behind a load balancer (TRUST_PROXY=1), callers are told apart by X-Forwarded-For', async () => {
    const limited = await behind(1);
    try {
      const from = (ip: string) => ({ ...BROWSER, 'x-forwarded-for': ip });
      for (let i = 0; i < LOADS; i++) expect((await get(limited.url, from('203.0.113.1'))).status).toBe(200);
      expect((await get(limited.url, from('203.0.113.1'))).status).toBe(429);
      expect((await get(limited.url, from('203.0.113.2'))).status).toBe(200);
      // One hop is trusted: what the client put before the load balancer's entry is not its address.
      expect((await get(limited.url, from('198.51.100.7, 203.0.113.1'))).status).toBe(429);
    } finally {
      await limited.stop();
    }
  });

  test('anonymous GraphQL budgets are keyed by the same address', async () => {
    const limited = await startLoneGateway({ trustProxy: 1, limits: { buckets: { anonymous: { capacity: 1, restoreRate: 0.001 } } } });
    try {
      const query = (ip: string) =>
        fetch(limited.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
      expect((await query('203.0.113.1')).status).toBe(200);
      expect((await query('203.0.113.1')).status).toBe(429);
      expect((await query('203.0.113.2')).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
