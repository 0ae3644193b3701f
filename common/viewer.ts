import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Who is calling, as the gateway established it (JWT for dashboard users, API key for partner tools, nobody for
 * anonymous public statistics), and what that lets them read. The gateway passes it to every subgraph in signed
 * headers; subgraphs trust nothing else.
 */
export const ROLES = ['admin', 'prefet', 'structure', 'conseiller', 'coordinateur', 'hub', 'grand_reseau', 'anonymous', 'partner'] as const;
export type Role = (typeof ROLES)[number];

/** Read scopes, per area of the graph; `personal-data:read` opens people's contact details. */
export const SCOPES = [
  'statistics:read',
  'activity:read',
  'structures:read',
  'recruitment:read',
  'conventions:read',
  'training:read',
  'personal-data:read',
] as const;
export type Scope = (typeof SCOPES)[number];

export interface Viewer {
  kind: 'user' | 'api_key' | 'anonymous';
  role: Role;
  /** JWT subject or API key id; null when anonymous. */
  id: string | null;
  scopes: Scope[];
  /** Territorial restriction (prefet, hub, territorial coordinator, restricted key); null = national. */
  territory: { departements: string[]; regions: string[] } | null;
  /** Structures the viewer acts for (structure role); null = not restricted by structure. */
  structureIds: number[] | null;
  /** Advisors the viewer is or coordinates (conseiller, coordinateur); null = not restricted by advisor. */
  conseillerIds: number[] | null;
  /** Grand réseau the viewer manages (grand_reseau role). */
  network: string | null;
}

const READ_ALL: Scope[] = ['statistics:read', 'activity:read', 'structures:read', 'recruitment:read', 'conventions:read', 'training:read'];

/**
 * Scopes a dashboard role grants (docs/domain.md §5); rows are narrowed further by territory, structure, advisor or
 * network. Partner keys carry their own scopes instead.
 */
export const ROLE_SCOPES: Record<Exclude<Role, 'partner'>, Scope[]> = {
  admin: [...READ_ALL, 'personal-data:read'],
  prefet: READ_ALL,
  hub: READ_ALL,
  grand_reseau: READ_ALL,
  coordinateur: READ_ALL,
  // A structure sees its candidates' contact details to recruit them.
  structure: [...READ_ALL, 'personal-data:read'],
  conseiller: READ_ALL,
  anonymous: ['statistics:read'],
};

export const ANONYMOUS: Viewer = {
  kind: 'anonymous',
  role: 'anonymous',
  id: null,
  scopes: ROLE_SCOPES.anonymous,
  territory: null,
  structureIds: null,
  conseillerIds: null,
  network: null,
};

/** An administrator with every scope: for scripts, seeds and tests that are not about authorization. */
export const SYSTEM_ADMIN: Viewer = { ...ANONYMOUS, kind: 'user', role: 'admin', id: 'system', scopes: ROLE_SCOPES.admin };

export const VIEWER_HEADER = 'x-conum-viewer';
export const SIGNATURE_HEADER = 'x-conum-signature';
export const TIMESTAMP_HEADER = 'x-conum-timestamp';
/**
 * A signed identity is good for one call: it names the subgraph and the hash of the body it was made for, and it
 * is refused this long after it was made. The gateway signs right before sending, so a call that is in flight
 * longer than this is one the gateway has already given up on (SUBGRAPH_TIMEOUT_MS is 5 s).
 */
export const SIGNATURE_LIFETIME_MS = 30_000;
/** Clocks of the gateway's and the subgraph's hosts may disagree by this much, either way. */
export const SIGNATURE_CLOCK_SKEW_MS = 5_000;

/** What a signature is bound to: the subgraph called and the exact bytes of the request body. */
export interface SignedCall {
  subgraph: string;
  body: string | Uint8Array;
}

function sign(secret: string, timestamp: string, payload: string, call: SignedCall): string {
  const bodyHash = createHash('sha256').update(call.body).digest('base64url');
  return createHmac('sha256', secret).update(`${call.subgraph}.${timestamp}.${bodyHash}.${payload}`).digest('base64url');
}

/** The viewer as carried in VIEWER_HEADER, before signing. */
export function encodeViewer(viewer: Viewer): string {
  return Buffer.from(JSON.stringify(viewer)).toString('base64url');
}

/** Headers that carry an encoded viewer (`encodeViewer`) on one call. */
export function signEncodedViewer(payload: string, secret: string, call: SignedCall, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  return { [VIEWER_HEADER]: payload, [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: sign(secret, timestamp, payload, call) };
}

/** Headers that carry the viewer on one call to one subgraph, as the gateway adds them. */
export function signViewer(viewer: Viewer, secret: string, call: SignedCall, now = Date.now()): Record<string, string> {
  return signEncodedViewer(encodeViewer(viewer), secret, call, now);
}

/**
 * The viewer carried by a request, or null when the headers are missing, forged, tampered with, stale, made for
 * another subgraph or for another body. `body` is the raw body received (undefined for a request without one,
 * which is refused: there is nothing the signature could cover).
 */
export function verifyViewer(
  headers: Record<string, string | string[] | undefined>,
  secret: string,
  call: { subgraph: string; body: Uint8Array | undefined },
  now = Date.now(),
): Viewer | null {
  const payload = headers[VIEWER_HEADER];
  const timestamp = headers[TIMESTAMP_HEADER];
  const signature = headers[SIGNATURE_HEADER];
  if (typeof payload !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string' || !call.body) return null;
  const expected = Buffer.from(sign(secret, timestamp, payload, { subgraph: call.subgraph, body: call.body }));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const age = now - Number(timestamp);
  if (!(age <= SIGNATURE_LIFETIME_MS + SIGNATURE_CLOCK_SKEW_MS && age >= -SIGNATURE_CLOCK_SKEW_MS)) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Viewer;
  } catch {
    return null;
  }
}

export function hasScopes(viewer: Viewer, required: readonly string[]): boolean {
  return required.every((scope) => (viewer.scopes as readonly string[]).includes(scope));
}
