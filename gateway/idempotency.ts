import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError, type FormattedExecutionResult } from 'graphql';
import type { Redis } from 'ioredis';
import { ErrorCode } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import type { GatewayContext } from './context.js';
import { bucketKey, gatewayRedis } from './rate-limit.js';

/**
 * `Idempotency-Key` on mutations (draft-ietf-httpapi-idempotency-key-header): a client that retries a mutation
 * after a timeout sends the same key, and the change is applied once. The gateway remembers each key per caller
 * for 24 hours with a fingerprint of the operation (text, operation name, variables) and the first response:
 * - the same key, caller and operation again → that first response, replayed (`Idempotent-Replayed: true`);
 * - the same key with another operation → 422 IDEMPOTENCY_KEY_REUSED;
 * - the same key while the first request is still running → 409 CONFLICT, `Retry-After: 1`;
 * - another caller's key is another key.
 * A request that did not run (refused before execution) or failed for a passing reason (rate limit, a service
 * unavailable, an internal error, a concurrent write in the way) is forgotten, so its retry runs.
 */

/** 8 to 128 characters: letters, digits, `-`, `_`, `.`, `:` (a UUID fits; so does a client's own scheme). */
const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim left by a request that never finished (the gateway stopped) is released after this. */
export const PENDING_TTL_MS = 2 * 60 * 1000;
/** Codes after which the same request may well succeed: its key is not kept. */
const PASSING = new Set<string>([ErrorCode.RATE_LIMITED, ErrorCode.SUBGRAPH_UNAVAILABLE, ErrorCode.INTERNAL_SERVER_ERROR]);

export type IdempotencyRecord =
  { state: 'pending'; fingerprint: string } | { state: 'done'; fingerprint: string; status: number; body: FormattedExecutionResult };

export interface IdempotencyStore {
  /** Claims `key` (pending) when it is free and returns null; otherwise returns what the key holds. */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyRecord | null>;
  /** Stores the response of a claimed key. */
  complete(key: string, record: Extract<IdempotencyRecord, { state: 'done' }>, ttlMs: number): Promise<void>;
  /** Frees a claimed key. */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

/** One gateway process's keys; expired ones are dropped as new ones come. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, { record: IdempotencyRecord; expiresAt: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  async claim(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyRecord | null> {
    const now = this.now();
    const held = this.records.get(key);
    if (held && held.expiresAt > now) return structuredClone(held.record);
    if (this.records.size >= this.maxKeys) this.dropExpired(now);
    this.records.set(key, { record: { state: 'pending', fingerprint }, expiresAt: now + ttlMs });
    return null;
  }

  async complete(key: string, record: Extract<IdempotencyRecord, { state: 'done' }>, ttlMs: number): Promise<void> {
    // A copy: the response object goes on to other plugins after this.
    this.records.set(key, { record: structuredClone(record), expiresAt: this.now() + ttlMs });
  }

  async release(key: string): Promise<void> {
    this.records.delete(key);
  }

  private dropExpired(now: number): void {
    for (const [key, { expiresAt }] of this.records) if (expiresAt <= now) this.records.delete(key);
  }

  async close(): Promise<void> {
    this.records.clear();
  }
}

/** Claim in one step: set when absent (with its expiry), else return what is there. */
const CLAIM_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])
`;

type ClaimRedis = Redis & { conumIdempotencyClaim(key: string, value: string, ttlMs: number): Promise<string | null> };

const log = createLogger('idempotency');

/**
 * Keys shared by every gateway instance through Redis. While Redis cannot answer, keys are kept in this process's
 * memory (a retry reaching the same instance is still applied once), as the rate limits are.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly redis: ClaimRedis;
  private readonly fallback = new MemoryIdempotencyStore();
  private degraded = false;

  constructor(
    url: string,
    private readonly prefix = 'conum:idempotency:',
    commandTimeoutMs?: number,
  ) {
    this.redis = gatewayRedis(url, (error) => this.degrade(error), commandTimeoutMs) as ClaimRedis;
    this.redis.defineCommand('conumIdempotencyClaim', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
  }

  /** Resolves once connected; until then keys are kept in memory. */
  ready(): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.redis.once('ready', () => resolve()));
  }

  private degrade(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    log.warn('Redis unreachable: idempotency keys kept per gateway instance until it is back', {
      message: error instanceof Error ? error.message : String(error),
    });
  }

  private async attempt<T>(redis: () => Promise<T>, memory: () => Promise<T>): Promise<T> {
    try {
      const result = await redis();
      this.degraded = false;
      return result;
    } catch (error) {
      this.degrade(error);
      return memory();
    }
  }

  claim(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyRecord | null> {
    return this.attempt(
      async () => {
        const held = await this.redis.conumIdempotencyClaim(this.prefix + key, JSON.stringify({ state: 'pending', fingerprint }), ttlMs);
        return held === null ? null : (JSON.parse(held) as IdempotencyRecord);
      },
      () => this.fallback.claim(key, fingerprint, ttlMs),
    );
  }

  complete(key: string, record: Extract<IdempotencyRecord, { state: 'done' }>, ttlMs: number): Promise<void> {
    return this.attempt(
      async () => void (await this.redis.set(this.prefix + key, JSON.stringify(record), 'PX', ttlMs)),
      () => this.fallback.complete(key, record, ttlMs),
    );
  }

  release(key: string): Promise<void> {
    return this.attempt(
      async () => void (await this.redis.del(this.prefix + key)),
      () => this.fallback.release(key),
    );
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await this.fallback.close();
  }
}

/** Redis when REDIS_URL is set (every gateway instance knows every key), else this process's memory. */
export function createIdempotencyStore(redisUrl: string | undefined): IdempotencyStore {
  return redisUrl ? new RedisIdempotencyStore(redisUrl) : new MemoryIdempotencyStore();
}

export interface IdempotencyOptions {
  redisUrl?: string;
  /** Instead of the store made from `redisUrl` (tests); closed with the server only when made here. */
  store?: IdempotencyStore;
}

function refusal(message: string, code: ErrorCode, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, field: 'Idempotency-Key', http: { status } } });
}

/**
 * Whether a response is kept for replays: the operation ran (`data` is there), and not into a passing failure
 * (a code in PASSING, a write step beaten by a concurrent one, a 5xx).
 */
export function replayable(result: FormattedExecutionResult, status: number): boolean {
  if (result.data === undefined || status >= 500) return false;
  return !result.errors?.some((e) => PASSING.has(String(e.extensions?.code)) || e.extensions?.reason === 'CONCURRENT_WRITE');
}

function keeps(rc: GraphQLRequestContextWillSendResponse<GatewayContext>): FormattedExecutionResult | null {
  const body = rc.response.body;
  return body.kind === 'single' && replayable(body.singleResult, rc.response.http.status ?? 200) ? body.singleResult : null;
}

export function idempotencyPlugin(options: IdempotencyOptions = {}): ApolloServerPlugin<GatewayContext> {
  const store = options.store ?? createIdempotencyStore(options.redisUrl);
  return {
    async serverWillStart() {
      return {
        async serverWillStop() {
          if (!options.store) await store.close();
        },
      };
    },

    async requestDidStart({ request }) {
      const key = request.http?.headers.get('idempotency-key');
      if (key == null) return;
      /** This request's claim on the key, once it holds one. */
      let claimed: { storeKey: string; fingerprint: string } | undefined;
      let replay: Extract<IdempotencyRecord, { state: 'done' }> | undefined;
      let running = false;

      return {
        async didResolveOperation({ operation, source, request, contextValue }) {
          // Reads are safe to repeat: the key only matters on mutations.
          if (operation?.operation !== 'mutation') return;
          if (!KEY_PATTERN.test(key)) {
            throw refusal('Idempotency-Key has 8 to 128 characters: letters, digits, "-", "_", "." or ":".', ErrorCode.BAD_USER_INPUT, 400);
          }
          const fingerprint = createHash('sha256')
            .update(JSON.stringify([source, request.operationName ?? null, request.variables ?? {}]))
            .digest('base64url');
          const storeKey = `${bucketKey(contextValue.viewer, contextValue.ip)}:${key}`;
          const held = await store.claim(storeKey, fingerprint, PENDING_TTL_MS);
          if (held === null) {
            claimed = { storeKey, fingerprint };
            return;
          }
          if (held.fingerprint !== fingerprint) {
            throw refusal(
              'This Idempotency-Key was already used for another operation or other variables; use a new key.',
              ErrorCode.IDEMPOTENCY_KEY_REUSED,
              422,
            );
          }
          if (held.state === 'pending') {
            running = true;
            throw refusal('The request with this Idempotency-Key is still running; retry shortly.', ErrorCode.CONFLICT, 409);
          }
          replay = held;
        },

        async responseForOperation() {
          if (!replay) return null;
          return { body: { kind: 'single', singleResult: replay.body }, http: { status: replay.status, headers: new HeaderMap() } };
        },

        async willSendResponse(rc) {
          if (replay) {
            rc.response.http.status = replay.status;
            rc.response.http.headers.set('idempotent-replayed', 'true');
            return;
          }
          if (running) rc.response.http.headers.set('retry-after', '1');
          if (!claimed) return;
          const kept = keeps(rc);
          if (kept)
            await store.complete(
              claimed.storeKey,
              { state: 'done', fingerprint: claimed.fingerprint, status: rc.response.http.status ?? 200, body: kept },
              IDEMPOTENCY_TTL_MS,
            );
          else await store.release(claimed.storeKey);
        },
      };
    },
  };
}
