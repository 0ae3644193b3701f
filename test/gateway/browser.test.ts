import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startTestSystem, type TestSystem } from '../support/system.js';

/**
 * A dashboard in a real browser: headless Chromium (Debian's package, which CI installs) loads a page from another
 * origin whose script POSTs a query with a token to the gateway; and it runs the playground under its CSP.
 */
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`browser tests skipped: ${CHROMIUM} is absent (apt-get install chromium; CI installs it)`);
const describeInBrowser = available ? describe : describe.skip;

/** A tiny dashboard page: its script calls the gateway when asked to, and reports what came back or what failed. */
const DASHBOARD_PAGE = `<!doctype html><meta charset="utf-8"><title>dashboard</title>
<script>
window.callGateway = async (url, token) => {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ query: '{ structures(first: 1) { totalCount } }' }),
    });
    return { status: res.status, remaining: res.headers.get('x-ratelimit-remaining'), body: await res.json() };
  } catch (error) {
    return { failed: String(error) };
  }
};
</script>`;

async function servePage(): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(DASHBOARD_PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let listed: { server: http.Server; origin: string };
let unlisted: { server: http.Server; origin: string };
let system: TestSystem;
let context: BrowserContext;
let profile: string;
let token: string;

beforeAll(async () => {
  if (!available) return;
  listed = await servePage();
  unlisted = await servePage();
  system = await startTestSystem({ http: { corsOrigins: [listed.origin] } });
  token = (await system.bearer({ sub: 'u-browser-admin', role: 'admin' })).authorization!.slice('Bearer '.length);
  profile = mkdtempSync(path.join(tmpdir(), 'conum-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await system?.stop();
  for (const page of [listed, unlisted]) if (page) await new Promise((resolve) => page.server.close(resolve));
});

/** Opens the dashboard page of `origin` and has its script call the gateway; the console says why a call failed. */
async function callFrom(origin: string): Promise<{ result: Record<string, unknown>; console: string[] }> {
  const page = await context.newPage();
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  try {
    await page.goto(origin);
    const result = (await page.evaluate(`callGateway(${JSON.stringify(system.gatewayUrl)}, ${JSON.stringify(token)})`)) as Record<
      string,
      unknown
    >;
    return { result, console: messages };
  } finally {
    await page.close();
  }
}

describeInBrowser('a dashboard page of another origin', () => {
  test('listed in CORS_ORIGINS: its query with a token gets data, and the rate-limit headers can be read', async () => {
    const { result } = await callFrom(listed.origin);
    expect(result).toMatchObject({ status: 200, body: { data: { structures: { totalCount: expect.any(Number) } } } });
    expect(Number(result.remaining)).toBeGreaterThan(0);
  });

  test('not listed: the browser blocks the call, since the preflight answer has no Access-Control-Allow-Origin', async () => {
    const { result, console } = await callFrom(unlisted.origin);
    expect(result).toEqual({ failed: 'TypeError: Failed to fetch' });
    expect(console.join('\n')).toMatch(/blocked by CORS policy/);
    const preflight = await fetch(system.gatewayUrl, {
      method: 'OPTIONS',
      headers: {
        origin: unlisted.origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describeInBrowser('the playground under its CSP', () => {
  let page: Page;
  const violations: string[] = [];
  const elsewhere: string[] = [];
  const workers: string[] = [];
  beforeAll(async () => {
    page = await context.newPage();
    // The test has no DOM types: the listener is given as the page's own script text.
    await page.addInitScript({
      content:
        "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
    });
    page.on('console', (message) => {
      if (message.text().startsWith('CSP violation') || /Content Security Policy/.test(message.text())) violations.push(message.text());
    });
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== new URL(system.gatewayUrl).origin) elsewhere.push(request.url());
    });
    page.on('worker', (worker) => workers.push(worker.url()));
  });
  afterAll(async () => {
    await page?.close();
  });

  test('loads from the gateway alone, starts its editor workers, introspects, and runs a query', async () => {
    const introspection = page.waitForResponse(
      (res) => res.request().method() === 'POST' && (res.request().postData() ?? '').includes('__schema'),
    );
    await page.goto(system.gatewayUrl);
    expect((await introspection).status()).toBe(200);
    await page.locator('.graphiql-execute-button').waitFor();
    const run = page.waitForResponse(
      (res) => res.request().method() === 'POST' && !(res.request().postData() ?? '').includes('IntrospectionQuery'),
    );
    await page.locator('.graphiql-execute-button').click();
    // Whatever the first query answers, its answer is shown in the result pane.
    const answer = (await (await run).json()) as Record<string, unknown>;
    expect(answer.data !== undefined || answer.errors !== undefined).toBe(true);
    await page.waitForFunction(
      `document.querySelector('.graphiql-response')?.textContent.includes(${JSON.stringify(answer.errors ? 'errors' : 'data')})`,
    );
    expect(workers.length).toBeGreaterThan(0);
    expect(workers.every((url) => url.startsWith(new URL('/playground/', system.gatewayUrl).href))).toBe(true);
    expect(elsewhere).toEqual([]);
    expect(violations).toEqual([]);
  });
});
