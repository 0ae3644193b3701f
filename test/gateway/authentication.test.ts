import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authenticator } from '../../gateway/auth.js';
import { jwtOptions } from '../../gateway/auth-setup.js';
import { createDevIssuer, DEMO_USERS, DEV_AUDIENCE, DEV_ISSUER, loadDevIssuer } from '../../gateway/dev-issuer.js';
import { loadEnv } from '../../common/env.js';
import { formatKey, KEY_PREFIX, parseKey } from '../../gateway/api-key-format.js';
import type { ApiKeyStore } from '../../gateway/api-key-store.js';
import { signViewer, SYSTEM_ADMIN } from '../../common/viewer.js';
import { failsWith } from '../support/graphql.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

const READ_STRUCTURES = '{ structure(id: "1") { id } }';
const as = (key: string) => ({ authorization: `Bearer ${key}` });

describe('partner API keys', () => {
  test('a new key works, is shown once and stored only as a keyed hash', async () => {
    const { key, record } = await system.apiKeys.create({ name: 'lifecycle', scopes: ['structures:read'] });
    expect(key).toMatch(/^cng_live_[0-9A-Za-z]{10}_[0-9A-Za-z]{30}$/);
    expect((await system.query(READ_STRUCTURES, undefined, as(key))).status).toBe(200);
    const listed = (await system.apiKeys.list()).find((k) => k.id === record.id);
    expect(JSON.stringify(listed)).not.toContain(parseKey(key)!.secret);
    const row = await system.orms.recruitment.em
      .getConnection()
      .execute<{ hash: string }[]>('select hash from gateway.api_key where id = ?', [record.id]);
    expect(row[0]!.hash).not.toContain(parseKey(key)!.secret);
    expect(row[0]!.hash).toHaveLength(43); // base64url of a 32-byte HMAC-SHA-256
  });

  test('its last use is recorded', async () => {
    const { key, record } = await system.apiKeys.create({ name: 'last use', scopes: ['structures:read'] });
    await system.query(READ_STRUCTURES, undefined, as(key));
    expect((await system.apiKeys.list()).find((k) => k.id === record.id)!.lastUsedAt).toBeInstanceOf(Date);
  });

  test('a mistyped or forged key fails its checksum and is refused (401)', async () => {
    const { key } = await system.apiKeys.create({ name: 'checksum', scopes: ['structures:read'] });
    const tampered = key.slice(0, -7) + (key.at(-7) === 'A' ? 'B' : 'A') + key.slice(-6);
    expect(parseKey(tampered)).toBeNull();
    const response = await system.query(READ_STRUCTURES, undefined, as(tampered));
    expect(response.status).toBe(401);
    await failsWith('UNAUTHENTICATED', response);
  });

  test('a well-formed key with an unknown id or a wrong secret is refused', async () => {
    const { key } = await system.apiKeys.create({ name: 'wrong secret', scopes: ['structures:read'] });
    const { id } = parseKey(key)!;
    expect((await system.query(READ_STRUCTURES, undefined, as(formatKey(id, 'x'.repeat(24))))).status).toBe(401);
    expect((await system.query(READ_STRUCTURES, undefined, as(formatKey('ZZZZZZZZZZ', 'y'.repeat(24))))).status).toBe(401);
  });

  test('rotation: the new secret works at once, the old one only during the grace period', async () => {
    const { key: old, record } = await system.apiKeys.create({ name: 'rotation', scopes: ['structures:read'] });
    const { key: fresh } = await system.apiKeys.rotate(record.id, 1);
    expect((await system.query(READ_STRUCTURES, undefined, as(fresh))).status).toBe(200);
    expect((await system.query(READ_STRUCTURES, undefined, as(old))).status).toBe(200);
    const { key: newest } = await system.apiKeys.rotate(record.id, 0);
    expect((await system.query(READ_STRUCTURES, undefined, as(fresh))).status).toBe(401);
    expect((await system.query(READ_STRUCTURES, undefined, as(old))).status).toBe(401);
    expect((await system.query(READ_STRUCTURES, undefined, as(newest))).status).toBe(200);
  });

  test('revocation is immediate and audited', async () => {
    const { key, record } = await system.apiKeys.create({ name: 'revocation', scopes: ['structures:read'] });
    await system.apiKeys.revoke(record.id, 'leaked in a public repository');
    expect((await system.query(READ_STRUCTURES, undefined, as(key))).status).toBe(401);
    const events = await system.orms.recruitment.em
      .getConnection()
      .execute<{ event: string }[]>('select event from gateway.api_key_event where key_id = ? order by id', [record.id]);
    expect(events.map((e) => e.event)).toEqual(['created', 'revoked']);
    await expect(system.apiKeys.revoke(record.id, 'again')).rejects.toThrow(/No active key/);
  });

  test('an expired key is refused', async () => {
    const { key, record } = await system.apiKeys.create({ name: 'expired', scopes: ['structures:read'] });
    await system.orms.recruitment.em
      .getConnection()
      .execute(`update gateway.api_key set expires_at = now() - interval '1 second' where id = ?`, [record.id]);
    expect((await system.query(READ_STRUCTURES, undefined, as(key))).status).toBe(401);
  });

  test('bad key requests are refused before anything is written', async () => {
    await expect(system.apiKeys.create({ name: 'x', scopes: ['everything:write'] })).rejects.toThrow(/Unknown scopes: everything:write/);
    await expect(system.apiKeys.create({ name: 'x', scopes: [] })).rejects.toThrow(/at least one scope/);
    await expect(system.apiKeys.create({ name: ' ', scopes: ['structures:read'] })).rejects.toThrow(/name/);
    await expect(system.apiKeys.create({ name: 'x', scopes: ['structures:read'], expiresInDays: 400 })).rejects.toThrow(/1 to 365 days/);
    await expect(system.apiKeys.rotate('nope', 500)).rejects.toThrow(/0 to 168 hours/);
  });
});

describe('dashboard tokens', () => {
  test('a valid token is accepted', async () => {
    expect((await system.query(READ_STRUCTURES, undefined, await system.bearer({ sub: 'a', role: 'admin' }))).status).toBe(200);
  });

  test.each([
    ['signed by another issuer', async () => (await createDevIssuer()).sign({ sub: 'a', role: 'admin' })],
    ['expired', async () => system.issuer.sign({ sub: 'a', role: 'admin' }, '-1m')],
    ['without a role', async () => system.issuer.sign({ sub: 'a' })],
    ['with an unknown role', async () => system.issuer.sign({ sub: 'a', role: 'superuser' })],
    ['a préfet without territory', async () => system.issuer.sign({ sub: 'a', role: 'prefet' })],
    ['a structure without its structure', async () => system.issuer.sign({ sub: 'a', role: 'structure' })],
    ['garbage', async () => 'not.a.token'],
  ])('%s → UNAUTHENTICATED (401), never anonymous', async (_name, token) => {
    const response = await system.query('{ __typename }', undefined, { authorization: `Bearer ${await token()}` });
    expect(response.status).toBe(401);
    await failsWith('UNAUTHENTICATED', response);
  });

  test('an Authorization header that is not a bearer credential is refused', async () => {
    expect((await system.query('{ __typename }', undefined, { authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(401);
  });

  test('a token whose claims are mistyped is refused (401) with the claim named, not answered INTERNAL', async () => {
    const token = await system.issuer.sign({ sub: 'a', role: 'prefet', departements: '13' as never });
    const response = await system.query(READ_STRUCTURES, undefined, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(401);
    expect((await failsWith('UNAUTHENTICATED', response)).message).toMatch(/claim `departements`/);
  });

  test('a token claiming to live a century is refused (401)', async () => {
    const response = await system.query(READ_STRUCTURES, undefined, {
      authorization: `Bearer ${await system.issuer.sign({ sub: 'a', role: 'admin' }, '100y')}`,
    });
    expect(response.status).toBe(401);
    await failsWith('UNAUTHENTICATED', response);
  });
});

test('an API key the store cannot check (database unreachable) is a retryable 503, not an internal error nor a refusal', async () => {
  const unreachable = { authenticate: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) } as unknown as ApiKeyStore;
  const authenticator = new Authenticator({
    jwt: { keys: createLocalJWKSet({ keys: [] }), issuer: DEV_ISSUER, audience: DEV_AUDIENCE },
    apiKeys: unreachable,
  });
  const error = await authenticator.authenticate(`Bearer ${KEY_PREFIX}abc.def`).then(
    () => null,
    (e: GraphQLError) => e,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  expect(error!.extensions).toEqual({ code: 'AUTHENTICATION_UNAVAILABLE', http: { status: 503 } });
  expect(error!.message).toBe('API keys cannot be checked right now; try again shortly.');
});

describe('dashboard token lifetime and claims', () => {
  const HOUR = 3600;
  let authenticator: Authenticator;
  /** Signs exactly the payload given (the dev issuer always sets `iat` and `exp`). */
  let signRaw: (payload: JWTPayload) => Promise<string>;
  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', kid: 'k' }] });
    authenticator = new Authenticator({ jwt: { keys, issuer: DEV_ISSUER, audience: DEV_AUDIENCE }, apiKeys: null });
    signRaw = (payload) =>
      new SignJWT({ iss: DEV_ISSUER, aud: DEV_AUDIENCE, ...payload }).setProtectedHeader({ alg: 'ES256', kid: 'k' }).sign(privateKey);
  });
  const now = () => Math.floor(Date.now() / 1000);
  const admin = { sub: 'a', role: 'admin' };
  const refusal = async (payload: JWTPayload) => {
    const error = await authenticator.authenticate(`Bearer ${await signRaw(payload)}`).then(
      () => null,
      (e: Error & { extensions?: Record<string, unknown> }) => e,
    );
    expect(error?.extensions?.code).toBe('UNAUTHENTICATED');
    return error!.message;
  };

  test('a token of 8 h issued now is accepted, and so is one issued 11 h ago', async () => {
    await expect(
      authenticator.authenticate(`Bearer ${await signRaw({ ...admin, iat: now(), exp: now() + 8 * HOUR })}`),
    ).resolves.toMatchObject({ role: 'admin', id: 'a' });
    await expect(
      authenticator.authenticate(`Bearer ${await signRaw({ ...admin, iat: now() - 11 * HOUR, exp: now() + HOUR })}`),
    ).resolves.toMatchObject({ role: 'admin' });
  });

  test.each([
    ['without exp', () => ({ ...admin, iat: now() }), /no `exp` claim/],
    ['without iat', () => ({ ...admin, exp: now() + HOUR }), /no `iat` claim/],
    ['without subject', () => ({ role: 'admin', iat: now(), exp: now() + HOUR }), /no `sub` claim/],
    ['with exp a century ahead', () => ({ ...admin, iat: now(), exp: now() + 100 * 365 * 24 * HOUR }), /longer than the 12 h/],
    ['with exp 13 h after iat', () => ({ ...admin, iat: now(), exp: now() + 13 * HOUR }), /longer than the 12 h/],
    ['issued 13 h ago, exp still ahead', () => ({ ...admin, iat: now() - 13 * HOUR, exp: now() + HOUR }), /expired/],
    ['issued in the future', () => ({ ...admin, iat: now() + HOUR, exp: now() + 2 * HOUR }), /Invalid or expired/],
  ])('%s → UNAUTHENTICATED', async (_name, payload, message) => {
    expect(await refusal(payload())).toMatch(message);
  });

  test.each([
    ['departements as a string', { role: 'prefet', departements: '13' }, /claim `departements`/],
    ['a département code that is a number', { role: 'prefet', departements: [13] }, /claim `departements.0`/],
    ['regions as an object', { role: 'hub', regions: { 93: true } }, /claim `regions`/],
    ['structure_ids as strings', { role: 'structure', structure_ids: ['1'] }, /claim `structure_ids.0`/],
    ['a negative conseiller id', { role: 'conseiller', conseiller_ids: [-1] }, /claim `conseiller_ids.0`/],
    ['network as a number', { role: 'grand_reseau', network: 7 }, /claim `network`/],
    ['a role that is not a string', { role: ['admin'] }, /claim `role`: must be one of admin/],
    ['a numeric subject', { role: 'admin', sub: 42 }, /claim `sub`/],
  ])('a token with %s → UNAUTHENTICATED naming the claim', async (_name, claims, message) => {
    expect(await refusal({ sub: 'a', iat: now(), exp: now() + HOUR, ...claims } as JWTPayload)).toMatch(message);
  });

  test('OIDC_MAX_TOKEN_LIFETIME_S sets the longest lifetime', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conum-auth-'));
    try {
      const env = loadEnv({ NODE_ENV: 'test', DEV_SECRETS_DIR: dir, OIDC_MAX_TOKEN_LIFETIME_S: '3600' });
      const hourly = new Authenticator({ jwt: await jwtOptions(env), apiKeys: null });
      const issuer = await loadDevIssuer(join(dir, 'issuer.json'));
      await expect(hourly.authenticate(`Bearer ${await issuer.sign(admin, '30m')}`)).resolves.toMatchObject({ role: 'admin' });
      await expect(hourly.authenticate(`Bearer ${await issuer.sign(admin, '2h')}`)).rejects.toThrow(/longer than the 1 h/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every demo user of `npm run token` gets a token that passes', async () => {
    const issuer = await createDevIssuer();
    const dev = new Authenticator({ jwt: issuer.jwt, apiKeys: null });
    for (const claims of Object.values(DEMO_USERS)) {
      await expect(dev.authenticate(`Bearer ${await issuer.sign(claims)}`).then((v) => v.role)).resolves.toBe(claims.role);
    }
  });
});

describe('subgraphs answer only the gateway', () => {
  const ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Structure { id name } } }';
  const R = { r: [{ __typename: 'Structure', id: '1' }] };
  const BODY = JSON.stringify({ query: ENTITIES, variables: R });
  const call = { subgraph: 'recruitment', body: BODY };

  test('a call without a signed identity is refused, _entities included', async () => {
    const response = await system.querySubgraph('recruitment', ENTITIES, R, { headers: {} });
    expect(response.status).toBe(401);
    await failsWith('UNAUTHENTICATED', response);
  });

  test('a forged, tampered or stale signature is refused; the gateway’s is accepted', async () => {
    expect(
      (
        await system.querySubgraph('recruitment', ENTITIES, R, {
          headers: signViewer(SYSTEM_ADMIN, 'not-the-secret-not-the-secret-xx', call),
        })
      ).status,
    ).toBe(401);
    const signed = signViewer({ ...SYSTEM_ADMIN, role: 'conseiller' }, system.gatewaySecret, call);
    const tampered = { ...signed, 'x-conum-viewer': Buffer.from(JSON.stringify(SYSTEM_ADMIN)).toString('base64url') };
    expect((await system.querySubgraph('recruitment', ENTITIES, R, { headers: tampered })).status).toBe(401);
    expect(
      (
        await system.querySubgraph('recruitment', ENTITIES, R, {
          headers: signViewer(SYSTEM_ADMIN, system.gatewaySecret, call, Date.now() - 3_600_000),
        })
      ).status,
    ).toBe(401);
    expect(
      (await system.querySubgraph('recruitment', ENTITIES, R, { headers: signViewer(SYSTEM_ADMIN, system.gatewaySecret, call) })).status,
    ).toBe(200);
  });
});

// Last: it closes the system's key store for good.
describe('an unreachable key store', () => {
  test('a partner key is answered AUTHENTICATION_UNAVAILABLE with HTTP 503 (retry), not 401 or a masked 500', async () => {
    const { key } = await system.apiKeys.create({ name: 'store down', scopes: ['structures:read'] });
    await system.apiKeys.close();
    const response = await system.query(READ_STRUCTURES, undefined, as(key));
    expect(response.status).toBe(503);
    expect(response.errors).toEqual([
      { message: 'API keys cannot be checked right now; try again shortly.', extensions: { code: 'AUTHENTICATION_UNAVAILABLE' } },
    ]);
  });
});
