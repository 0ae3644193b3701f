import { GraphQLError } from 'graphql';
import { jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ANONYMOUS, ROLE_SCOPES, ROLES, type Role, type Viewer } from '../subgraphs/common/viewer.js';
import { KEY_PREFIX, type ApiKeyStore } from './api-keys.js';

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
}

/** The claims a dashboard token carries about the user's role and reach (see gateway/dev-issuer.ts for examples). */
export interface ConumClaims extends JWTPayload {
  role?: string;
  departements?: string[];
  regions?: string[];
  structure_ids?: number[];
  conseiller_ids?: number[];
  network?: string;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

const DASHBOARD_ROLES = ROLES.filter((r): r is Exclude<Role, 'partner' | 'anonymous'> => r !== 'partner' && r !== 'anonymous');

/** Maps verified claims to a viewer; a role whose reach is missing from the token is refused rather than widened. */
export function viewerFromClaims(claims: ConumClaims): Viewer {
  const role = claims.role as (typeof DASHBOARD_ROLES)[number];
  if (!DASHBOARD_ROLES.includes(role)) throw unauthenticated(`The token has no valid role (one of ${DASHBOARD_ROLES.join(', ')}).`);
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
    (role === 'prefet' || role === 'hub') && !territorial ? 'a département or région'
    : role === 'structure' && !viewer.structureIds?.length ? 'structure_ids'
    : role === 'conseiller' && viewer.conseillerIds?.length !== 1 ? 'one conseiller_ids entry'
    : role === 'coordinateur' && !territorial && !viewer.conseillerIds?.length ? 'coordinated advisors or territories'
    : role === 'grand_reseau' && !viewer.network ? 'network'
    : null;
  if (missing) throw unauthenticated(`A ${role} token must say ${missing}.`);
  if (!viewer.id) throw unauthenticated('The token has no subject.');
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
      const viewer = await this.options.apiKeys?.authenticate(credential);
      if (!viewer) throw unauthenticated('Invalid, expired or revoked API key.');
      return viewer;
    }
    let claims: ConumClaims;
    try {
      ({ payload: claims } = await jwtVerify<ConumClaims>(credential, this.options.jwt.keys, {
        issuer: this.options.jwt.issuer,
        audience: this.options.jwt.audience,
        algorithms: ['RS256', 'ES256', 'PS256'],
      }));
    } catch {
      throw unauthenticated('Invalid or expired token.');
    }
    return viewerFromClaims(claims);
  }
}
