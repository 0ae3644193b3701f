import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet } from 'jose';
import type { Env } from '../common/env.js';
import { ApiKeyStore } from './api-key-store.js';
import { Authenticator, type JwtOptions } from './auth.js';
import { loadDevIssuer } from './dev-issuer.js';

/**
 * The API-key pepper: API_KEY_PEPPER, or outside production (where the env schema requires it) a random one kept in
 * the dev secrets folder.
 */
export function apiKeyPepper(env: Env): string {
  if (env.API_KEY_PEPPER) return env.API_KEY_PEPPER;
  const file = join(env.DEV_SECRETS_DIR, 'api-key-pepper');
  if (!existsSync(file)) {
    mkdirSync(env.DEV_SECRETS_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8');
}

/**
 * How dashboard tokens are verified: the configured OIDC provider (the env schema requires its issuer with it, and
 * both in production), or outside production the dev issuer.
 */
export async function jwtOptions(env: Env): Promise<JwtOptions> {
  if (env.OIDC_JWKS_URL) {
    return {
      keys: createRemoteJWKSet(new URL(env.OIDC_JWKS_URL)),
      issuer: env.OIDC_ISSUER!,
      audience: env.OIDC_AUDIENCE,
      maxLifetimeSeconds: env.OIDC_MAX_TOKEN_LIFETIME_S,
    };
  }
  return { ...(await loadDevIssuer(join(env.DEV_SECRETS_DIR, 'issuer.json'))).jwt, maxLifetimeSeconds: env.OIDC_MAX_TOKEN_LIFETIME_S };
}

export async function createAuthenticator(
  env: Env,
  databaseUrl: string,
): Promise<{ authenticator: Authenticator; close(): Promise<void> }> {
  const apiKeys = await ApiKeyStore.open(databaseUrl, apiKeyPepper(env));
  return { authenticator: new Authenticator({ jwt: await jwtOptions(env), apiKeys }), close: () => apiKeys.close() };
}
