import pg from 'pg';
import { createLogger } from '../common/logger.js';
import { handlePoolErrors, readOnce } from '../common/pg-errors.js';
import { SCOPES, type Scope, type Viewer } from '../common/viewer.js';
import { formatKey, hashSecret, newKeyId, newSecret, parseKey, sameHash } from './api-key-format.js';

const log = createLogger('api-keys');

/** Keys expire within a year at most; a rotated-out secret keeps working for at most a week. */
export const MAX_LIFETIME_DAYS = 365;
export const MAX_GRACE_HOURS = 168;
/** `lastUsedAt` is written at most this often per key, not on every request. */
const LAST_USED_GRANULARITY_MS = 15 * 60_000;

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

/**
 * The key registry, in the gateway's own PostgreSQL schema (`gateway`, created by gateway/migrations). Lifecycle
 * events are audited. The key format is api-key-format.ts.
 */
export class ApiKeyStore {
  private readonly lastUseWritten = new Map<string, number>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly pepper: string,
  ) {}

  static async open(databaseUrl: string, pepper: string): Promise<ApiKeyStore> {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    handlePoolErrors(pool, log);
    try {
      const { rows } = await pool.query<{ ready: boolean }>(
        `select to_regclass('gateway.api_key') is not null and to_regclass('gateway.api_key_event') is not null as ready`,
      );
      if (!rows[0]?.ready) throw new Error('The API-key tables (schema "gateway") are missing: run `npm run db:migrate` first.');
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new ApiKeyStore(pool, pepper);
  }

  /** Ends the pool; closing twice is harmless (pg's second `end` would never settle). */
  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
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
    const id = newKeyId();
    const secret = newSecret();
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
    const secret = newSecret();
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
