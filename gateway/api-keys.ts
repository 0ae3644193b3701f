import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import pg from 'pg';
import { createLogger } from '../common/logger.js';
import { handlePoolErrors, readOnce } from '../common/pg-errors.js';
import { SCOPES, type Scope, type Viewer } from '../common/viewer.js';

const log = createLogger('api-keys');

/**
 * Partner API keys. Format `cng_live_<id>_<secret><checksum>`: a prefix secret scanners can match, a public key id,
 * 24 base62 characters of secret (≈143 random bits) and a 6-character CRC-32 checksum that rejects mistyped or
 * forged keys before any database look-up. Only an HMAC-SHA-256 of the secret (keyed by a server-side pepper) is
 * stored; the key itself is shown once, at creation or rotation.
 */
export const KEY_PREFIX = 'cng_live_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_PATTERN = /^cng_live_([0-9A-Za-z]{10})_([0-9A-Za-z]{24})([0-9A-Za-z]{6})$/;
/** Keys expire within a year at most; a rotated-out secret keeps working for at most a week. */
export const MAX_LIFETIME_DAYS = 365;
export const MAX_GRACE_HOURS = 168;
/** `lastUsedAt` is written at most this often per key, not on every request. */
const LAST_USED_GRANULARITY_MS = 15 * 60_000;

function base62(bytes: Buffer, length: number): string {
  let out = '';
  for (const byte of bytes) {
    if (out.length === length) break;
    // Rejection sampling keeps every character equally likely.
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out.length === length ? out : out + base62(randomBytes(length), length - out.length);
}

function checksum(body: string): string {
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function formatKey(id: string, secret: string): string {
  const body = `${KEY_PREFIX}${id}_${secret}`;
  return body + checksum(body);
}

/** The key id and secret of a well-formed key with a valid checksum; null otherwise. */
export function parseKey(key: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const [, id, secret, sum] = match;
  return checksum(`${KEY_PREFIX}${id}_${secret}`) === sum ? { id: id!, secret: secret! } : null;
}

export function hashSecret(secret: string, pepper: string): string {
  return createHmac('sha256', pepper).update(secret).digest('base64url');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  scopes: Scope[];
  departements: string[];
  regions: string[];
  expiresAt: Date;
  createdAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  lastUsedAt: Date | null;
  /** Until when the secret replaced by the last rotation is still accepted. */
  previousValidUntil: Date | null;
}

export interface CreateKeyInput {
  name: string;
  scopes: string[];
  departements?: string[];
  regions?: string[];
  expiresInDays?: number;
}

export class ApiKeyError extends Error {}

// Under an advisory lock: several gateways (or test files) may start at once.
const SCHEMA_SQL = `
  begin;
  select pg_advisory_xact_lock(hashtext('conum-graph gateway schema'));
  create schema if not exists gateway;
  create table if not exists gateway.api_key (
    id text primary key,
    name text not null,
    hash text not null,
    previous_hash text,
    previous_valid_until timestamptz,
    scopes text[] not null,
    departements text[] not null default '{}',
    regions text[] not null default '{}',
    expires_at timestamptz not null,
    created_at timestamptz not null default now(),
    revoked_at timestamptz,
    revoked_reason text,
    last_used_at timestamptz
  );
  create table if not exists gateway.api_key_event (
    id bigserial primary key,
    key_id text not null,
    event text not null,
    detail text,
    at timestamptz not null default now()
  );
  commit;`;

function toRecord(row: Record<string, unknown>): ApiKeyRecord {
  return {
    id: row.id as string,
    name: row.name as string,
    scopes: row.scopes as Scope[],
    departements: row.departements as string[],
    regions: row.regions as string[],
    expiresAt: row.expires_at as Date,
    createdAt: row.created_at as Date,
    revokedAt: (row.revoked_at as Date | null) ?? null,
    revokedReason: (row.revoked_reason as string | null) ?? null,
    lastUsedAt: (row.last_used_at as Date | null) ?? null,
    previousValidUntil: (row.previous_valid_until as Date | null) ?? null,
  };
}

/** The key registry, in the gateway's own PostgreSQL schema (`gateway`). Lifecycle events are audited. */
export class ApiKeyStore {
  private readonly lastUseWritten = new Map<string, number>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly pepper: string,
  ) {}

  static async open(databaseUrl: string, pepper: string): Promise<ApiKeyStore> {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    handlePoolErrors(pool, log);
    await pool.query(SCHEMA_SQL);
    return new ApiKeyStore(pool, pepper);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** The change and its audit event commit together or not at all. */
  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const result = await fn(client);
      await client.query('commit');
      return result;
    } catch (error) {
      // On a connection PostgreSQL has closed the rollback fails too; the first error is the one to report.
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private validate(input: CreateKeyInput): void {
    if (!input.name.trim()) throw new ApiKeyError('A key needs a name saying who uses it.');
    const unknown = input.scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (unknown.length) throw new ApiKeyError(`Unknown scopes: ${unknown.join(', ')}. Known: ${SCOPES.join(', ')}.`);
    if (!input.scopes.length) throw new ApiKeyError('A key needs at least one scope.');
    const days = input.expiresInDays ?? 90;
    if (!Number.isInteger(days) || days < 1 || days > MAX_LIFETIME_DAYS)
      throw new ApiKeyError(`Expiry must be 1 to ${MAX_LIFETIME_DAYS} days.`);
  }

  /** Creates a key; the returned `key` is the only time the secret is visible. */
  async create(input: CreateKeyInput): Promise<{ key: string; record: ApiKeyRecord }> {
    this.validate(input);
    const id = base62(randomBytes(16), 10);
    const secret = base62(randomBytes(32), 24);
    return this.transaction(async (client) => {
      const { rows } = await client.query(
        `insert into gateway.api_key (id, name, hash, scopes, departements, regions, expires_at)
         values ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7)) returning *`,
        [
          id,
          input.name.trim(),
          hashSecret(secret, this.pepper),
          input.scopes,
          input.departements ?? [],
          input.regions ?? [],
          input.expiresInDays ?? 90,
        ],
      );
      await this.audit(client, id, 'created', input.scopes.join(' '));
      return { key: formatKey(id, secret), record: toRecord(rows[0]) };
    });
  }

  async list(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.pool.query('select * from gateway.api_key order by created_at');
    return rows.map(toRecord);
  }

  /** A new secret for the same key id; the old one keeps working for `graceHours` (0 = refused at once). */
  async rotate(id: string, graceHours = 24): Promise<{ key: string; record: ApiKeyRecord }> {
    if (!Number.isInteger(graceHours) || graceHours < 0 || graceHours > MAX_GRACE_HOURS)
      throw new ApiKeyError(`Grace must be 0 to ${MAX_GRACE_HOURS} hours.`);
    const secret = base62(randomBytes(32), 24);
    return this.transaction(async (client) => {
      const { rows } = await client.query(
        `update gateway.api_key set previous_hash = hash, previous_valid_until = now() + make_interval(hours => $3), hash = $2
         where id = $1 and revoked_at is null returning *`,
        [id, hashSecret(secret, this.pepper), graceHours],
      );
      if (!rows[0]) throw new ApiKeyError(`No active key ${id}.`);
      await this.audit(client, id, 'rotated', `grace ${graceHours} h`);
      return { key: formatKey(id, secret), record: toRecord(rows[0]) };
    });
  }

  async revoke(id: string, reason: string): Promise<ApiKeyRecord> {
    if (!reason.trim()) throw new ApiKeyError('Say why the key is revoked.');
    return this.transaction(async (client) => {
      const { rows } = await client.query(
        `update gateway.api_key set revoked_at = now(), revoked_reason = $2 where id = $1 and revoked_at is null returning *`,
        [id, reason.trim()],
      );
      if (!rows[0]) throw new ApiKeyError(`No active key ${id}.`);
      await this.audit(client, id, 'revoked', reason.trim());
      return toRecord(rows[0]);
    });
  }

  /** The viewer a presented key stands for; null when it is malformed, unknown, wrong, expired or revoked. */
  async authenticate(presented: string, now = new Date()): Promise<Viewer | null> {
    const parsed = parseKey(presented);
    if (!parsed) return null;
    const { rows } = await readOnce(this.pool, 'select * from gateway.api_key where id = $1', [parsed.id]);
    const row = rows[0] as Record<string, unknown> | undefined;
    if (!row) return null;
    const hash = hashSecret(parsed.secret, this.pepper);
    const current = sameHash(hash, row.hash as string);
    const previous =
      !current && row.previous_hash != null && sameHash(hash, row.previous_hash as string) && (row.previous_valid_until as Date) > now;
    const record = toRecord(row);
    if (!(current || previous) || record.revokedAt || record.expiresAt <= now) return null;
    await this.touch(record.id, now);
    const restricted = record.departements.length > 0 || record.regions.length > 0;
    return {
      kind: 'api_key',
      role: 'partner',
      id: record.id,
      scopes: record.scopes,
      territory: restricted ? { departements: record.departements, regions: record.regions } : null,
      structureIds: null,
      conseillerIds: null,
      network: null,
    };
  }

  private async touch(id: string, now: Date): Promise<void> {
    const last = this.lastUseWritten.get(id) ?? 0;
    if (now.getTime() - last < LAST_USED_GRANULARITY_MS) return;
    this.lastUseWritten.set(id, now.getTime());
    // A record of use, not a condition of it: the caller is answered even when this write is lost.
    await this.pool.query('update gateway.api_key set last_used_at = $2 where id = $1', [id, now]).catch((error: Error) => {
      this.lastUseWritten.delete(id);
      log.warn('last use of an API key not recorded', { keyId: id, message: error.message });
    });
  }

  private async audit(client: pg.PoolClient, keyId: string, event: string, detail: string): Promise<void> {
    await client.query('insert into gateway.api_key_event (key_id, event, detail) values ($1, $2, $3)', [keyId, event, detail]);
  }
}
