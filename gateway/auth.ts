import { GraphQLError } from 'graphql';
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { ErrorCode } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import { ANONYMOUS, ROLE_SCOPES, ROLES, type Role, type Viewer } from '../common/viewer.js';
import { KEY_PREFIX } from './api-key-format.js';
import type { ApiKeyStore } from './api-key-store.js';

/**
 * Establishes who is calling, once per request, before anything else runs:
 * - no `Authorization` header: anonymous (public statistics only);
 * - `Bearer cng_live_…`: a partner API key (scopes and territory of the key);
 * - `Bearer <JWT>`: a dashboard user, token issued by the OIDC provider (ProConnect) and verified against its JWKS.
 * Anything presented but not valid is refused with UNAUTHENTICATED (401), never downgraded to anonymous.
 */
export interface JwtOptions {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** Longest a token may live (`exp - iat`) and be used after `iat`; default MAX_TOKEN_LIFETIME_S. */
  maxLifetimeSeconds?: number;
}

/**
 * A dashboard token lives at most a working day: a leaked token stops working by the next morning, whatever `exp`
 * it claims. ProConnect's tokens and the dev issuer's (8 h) are shorter.
 */
export const MAX_TOKEN_LIFETIME_S = 12 * 3600;
/** Clock skew allowed between the identity provider and the gateway, on `exp`, `nbf`, `iat` and the lifetime. */
export const CLOCK_TOLERANCE_S = 60;

/** The claims a dashboard token carries about the user's role and reach (see gateway/dev-issuer.ts for examples). */
export interface ConumClaims extends JWTPayload {
  role?: string;
  departements?: string[];
  regions?: string[];
  structure_ids?: number[];
  conseiller_ids?: number[];
  network?: string;
}

const log = createLogger('auth');

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** The key store's fault, not the caller's: a retryable 503 rather than a masked internal error. */
function keyStoreUnreachable(error: unknown): GraphQLError {
  log.error('API key not checked: the key store is unreachable', { message: error instanceof Error ? error.message : String(error) });
  return new GraphQLError('API keys cannot be checked right now; try again shortly.', {
    extensions: { code: ErrorCode.AUTHENTICATION_UNAVAILABLE, http: { status: 503 } },
  });
}

const DASHBOARD_ROLES = ROLES.filter((r): r is Exclude<Role, 'partner' | 'anonymous'> => r !== 'partner' && r !== 'anonymous');

const territoryCodes = z.array(z.string().regex(/^[0-9A-Z]{2,3}$/, 'must be a code such as "13", "2A" or "974"'));
const ids = z.array(z.number().int().positive());

/**
 * The claims as they must be typed: a signed token is still input, and a mistyped claim (`departements: "13"`)
 * would otherwise reach the subgraphs' SQL. Other claims (iss, aud, jti…) are checked by jose or ignored.
 */
const claimsSchema = z.object({
  sub: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
  role: z.enum(DASHBOARD_ROLES, { error: `must be one of ${DASHBOARD_ROLES.join(', ')}` }),
  departements: territoryCodes.optional(),
  regions: territoryCodes.optional(),
  structure_ids: ids.optional(),
  conseiller_ids: ids.optional(),
  network: z.string().min(1).optional(),
});

/** Maps verified claims to a viewer; a role whose reach is missing from the token is refused rather than widened. */
export function viewerFromClaims(payload: JWTPayload): Viewer {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw unauthenticated(`Malformed token claim \`${issue.path.join('.') || 'payload'}\`: ${issue.message}.`);
  }
  const claims = parsed.data;
  const { role } = claims;
  const departements = claims.departements ?? [];
  const regions = claims.regions ?? [];
  const territorial = departements.length > 0 || regions.length > 0;
  const viewer: Viewer = {
    kind: 'user',
    role,
    id: claims.sub ?? null,
    scopes: ROLE_SCOPES[role],
    territory: territorial ? { departements, regions } : null,
    structureIds: role === 'structure' ? (claims.structure_ids ?? []) : null,
    conseillerIds: role === 'conseiller' || (role === 'coordinateur' && !territorial) ? (claims.conseiller_ids ?? []) : null,
    network: role === 'grand_reseau' ? (claims.network ?? null) : null,
  };
  const missing =
    (role === 'prefet' || role === 'hub') && !territorial
      ? 'a département or région'
      : role === 'structure' && !viewer.structureIds?.length
        ? 'structure_ids'
        : role === 'conseiller' && viewer.conseillerIds?.length !== 1
          ? 'one conseiller_ids entry'
          : role === 'coordinateur' && !territorial && !viewer.conseillerIds?.length
            ? 'coordinated advisors or territories'
            : role === 'grand_reseau' && !viewer.network
              ? 'network'
              : null;
  if (missing) throw unauthenticated(`A ${role} token must say ${missing}.`);
  return viewer;
}

export class Authenticator {
  constructor(private readonly options: { jwt: JwtOptions; apiKeys: ApiKeyStore | null }) {}

  async authenticate(authorization: string | undefined): Promise<Viewer> {
    if (!authorization) return ANONYMOUS;
    const [scheme, credential] = authorization.split(' ', 2);
    if (scheme?.toLowerCase() !== 'bearer' || !credential) {
      throw unauthenticated('Send `Authorization: Bearer <token or API key>`.');
    }
    if (credential.startsWith(KEY_PREFIX)) {
      const viewer = await this.options.apiKeys?.authenticate(credential).catch((error: unknown) => {
        throw keyStoreUnreachable(error);
      });
      if (!viewer) throw unauthenticated('Invalid, expired or revoked API key.');
      return viewer;
    }
    const { keys, issuer, audience, maxLifetimeSeconds = MAX_TOKEN_LIFETIME_S } = this.options.jwt;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(credential, keys, {
        issuer,
        audience,
        algorithms: ['RS256', 'ES256', 'PS256'],
        requiredClaims: ['exp', 'iat', 'sub'],
        maxTokenAge: maxLifetimeSeconds,
        clockTolerance: CLOCK_TOLERANCE_S,
      }));
    } catch (error) {
      if (error instanceof errors.JWTClaimValidationFailed && error.reason === 'missing')
        throw unauthenticated(`The token has no \`${error.claim}\` claim.`);
      if (error instanceof errors.JWTExpired) throw unauthenticated('The token has expired; sign in again.');
      throw unauthenticated('Invalid or expired token.');
    }
    // jose bounds the age from `iat`; a token that claims to live longer than allowed was mis-issued.
    if (payload.exp! - payload.iat! > maxLifetimeSeconds + CLOCK_TOLERANCE_S) {
      throw unauthenticated(`The token lives longer than the ${maxLifetimeSeconds / 3600} h allowed (\`exp\` − \`iat\`).`);
    }
    return viewerFromClaims(payload);
  }
}
