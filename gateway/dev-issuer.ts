import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import type { ConumClaims, JwtOptions } from './auth.js';

/**
 * A development stand-in for the OIDC provider (ProConnect): an ES256 key pair kept under .data/ (git-ignored),
 * used by `npm run token` to sign tokens for the demo users and by the gateway to verify them when no
 * OIDC_JWKS_URL is configured. Never used in production mode.
 */
export const DEV_ISSUER = 'https://dev-issuer.conum-graph.local';
export const DEV_AUDIENCE = 'conum-graph';

export interface DevIssuer {
  jwt: JwtOptions;
  sign(claims: ConumClaims, expiresIn?: string): Promise<string>;
}

async function issuerFrom(privateJwk: JWK, publicJwk: JWK): Promise<DevIssuer> {
  const privateKey = await importJWK(privateJwk, 'ES256');
  return {
    jwt: { keys: createLocalJWKSet({ keys: [{ ...publicJwk, alg: 'ES256', kid: 'dev' }] }), issuer: DEV_ISSUER, audience: DEV_AUDIENCE },
    sign: (claims, expiresIn = '8h') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'dev' })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(privateKey),
  };
}

/** A fresh in-memory issuer (tests). */
export async function createDevIssuer(): Promise<DevIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return issuerFrom(await exportJWK(privateKey), await exportJWK(publicKey));
}

/** The issuer whose keys live in `file`, created on first use. */
export async function loadDevIssuer(file: string): Promise<DevIssuer> {
  if (!existsSync(file)) {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) }), {
      mode: 0o600,
    });
  }
  const { privateJwk, publicJwk } = JSON.parse(readFileSync(file, 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
  return issuerFrom(privateJwk, publicJwk);
}

/** Demo users of the seeded world, one per role (`npm run token -- <name>`). */
export const DEMO_USERS: Record<string, ConumClaims> = {
  admin: { sub: 'demo-admin', role: 'admin' },
  'prefet-13': { sub: 'demo-prefet-13', role: 'prefet', departements: ['13'] },
  'prefet-region-11': { sub: 'demo-prefet-11', role: 'prefet', regions: ['11'] },
  'structure-1': { sub: 'demo-structure-1', role: 'structure', structure_ids: [1] },
  'conseiller-15': { sub: 'demo-conseiller-15', role: 'conseiller', conseiller_ids: [15] },
  'coordinateur-59': { sub: 'demo-coordinateur-59', role: 'coordinateur', departements: ['59'] },
  'hub-93': { sub: 'demo-hub-93', role: 'hub', regions: ['93', '94'] },
  'grand-reseau': { sub: 'demo-grand-reseau', role: 'grand_reseau', network: 'LA_POSTE' },
};
