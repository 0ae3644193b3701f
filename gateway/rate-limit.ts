import { Redis } from 'ioredis';
import type { Viewer } from '../common/viewer.js';
import { createLogger } from '../common/logger.js';

/** A token bucket counted in cost points: holds at most `capacity`, refills `restoreRate` points per second. */
export interface BucketPolicy {
  capacity: number;
  restoreRate: number;
}

/**
 * Budgets per caller (docs/security.md §8): partner keys as Shopify's historical 1,000 points at 50/s; dashboard users
 * twice that. Anonymous callers are counted per IP address, which a whole France Services office may share behind
 * one NAT, so they get a bucket as large as a partner's but a slower refill (20/s: a public statistics page
 * costing ~50 points can reload every few seconds, a scraper cannot sustain more than 72,000 points an hour).
 */
export const BUCKETS: Record<Viewer['kind'], BucketPolicy> = {
  api_key: { capacity: 1_000, restoreRate: 50 },
  user: { capacity: 2_000, restoreRate: 100 },
  anonymous: { capacity: 1_000, restoreRate: 20 },
};

/** Whose bucket a request draws from: a partner key, a user's token subject, or else the client's address. */
export function bucketKey(viewer: Viewer, ip: string): string {
  if (viewer.kind !== 'anonymous' && viewer.id) return `${viewer.kind}:${viewer.id}`;
  return `ip:${ip}`;
}

export interface BucketState {
  allowed: boolean;
  /** Points left after this call; negative while the bucket is in debt. */
  available: number;
  /** When refused: seconds until the bucket holds a point again. */
  retryAfterSeconds: number;
}

export interface RateLimitStore {
  /**
   * Admission: takes `cost` points when the bucket is positive (holds at least one point, the price of the
   * cheapest operation), whatever the cost: the per-request maximum is checked before, and may be above the
   * capacity (a user's 5,000 against their 2,000 bucket). The bucket then goes into debt and the caller waits for
   * it to refill, so the sustained rate stays `restoreRate` whatever the request size. `cost` 0 reads the state.
   */
  take(key: string, cost: number, policy: BucketPolicy): Promise<BucketState>;
  /**
   * Settlement after execution: adds `delta` points to the charge unconditionally, a refund when negative (never
   * above capacity), a debit when positive (the bucket may go further into debt).
   */
  adjust(key: string, delta: number, policy: BucketPolicy): Promise<BucketState>;
  close(): Promise<void>;
}

/** What a bucket must hold to admit a request: one point, not any fraction of one (that would admit a request per refill tick). */
const ADMISSION = 1;

/** Seconds until a bucket holding `tokens` admits a request again. */
function secondsUntilAdmitted(tokens: number, policy: BucketPolicy): number {
  return Math.max(1, Math.ceil((ADMISSION - tokens) / policy.restoreRate));
}

/** The bucket arithmetic, shared by the in-memory store and mirrored by the Redis script below. */
function settle(tokens: number, cost: number, policy: BucketPolicy, force: boolean): BucketState & { tokens: number } {
  if (!force && cost > 0 && tokens < ADMISSION) {
    return { allowed: false, tokens, available: tokens, retryAfterSeconds: secondsUntilAdmitted(tokens, policy) };
  }
  const left = Math.min(policy.capacity, tokens - cost);
  return { allowed: true, tokens: left, available: left, retryAfterSeconds: 0 };
}

/** One gateway process's buckets. Full buckets are forgotten once there are many, so the map cannot grow forever. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 50_000,
  ) {}

  async take(key: string, cost: number, policy: BucketPolicy): Promise<BucketState> {
    return this.apply(key, cost, policy, false);
  }

  async adjust(key: string, delta: number, policy: BucketPolicy): Promise<BucketState> {
    return this.apply(key, delta, policy, true);
  }

  private apply(key: string, cost: number, policy: BucketPolicy, force: boolean): BucketState {
    const now = this.now();
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(policy.capacity, bucket.tokens + ((now - bucket.at) / 1000) * policy.restoreRate) : policy.capacity;
    const { tokens: left, ...state } = settle(tokens, cost, policy, force);
    this.buckets.set(key, { tokens: left, at: now });
    if (this.buckets.size > this.maxKeys) this.forgetFull(now, policy);
    return state;
  }

  private forgetFull(now: number, policy: BucketPolicy): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * policy.restoreRate >= policy.capacity) this.buckets.delete(key);
    }
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }
}

/**
 * The same bucket, atomically in Redis (one script: read, refill, take, write), with Redis's own clock so several
 * gateway instances agree. The key expires once the bucket would be full again. Returns {allowed, tokens} with
 * tokens as a string: Redis truncates Lua numbers to integers.
 */
const BUCKET_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local force = ARGV[4] == '1'
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 1
if not force and cost > 0 and tokens < 1 then
  allowed = 0
else
  tokens = math.min(capacity, tokens - cost)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
return {allowed, tostring(tokens)}
`;

/**
 * A Redis client for the gateway's per-request state (rate limits, idempotency keys): it fails fast rather than
 * queue, since a request must not wait long for it, and hands its connection errors to `onError`.
 */
export function gatewayRedis(url: string, onError: (error: Error) => void, commandTimeoutMs = 100): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    // Closing a client whose socket already died waits this long for a 'close' that never comes (2 s by default).
    disconnectTimeout: 250,
  });
  // Without a listener, ioredis's connection errors would be unhandled 'error' events and end the process.
  redis.on('error', onError);
  return redis;
}

type BucketRedis = Redis & {
  conumBucket(key: string, capacity: number, rate: number, cost: number, force: 0 | 1): Promise<[number, string]>;
};

const log = createLogger('rate-limit');

export interface RedisStoreOptions {
  /** Prefix of the bucket keys. */
  prefix?: string;
  /** A command not answered within this (ms) counts as Redis failing. */
  commandTimeoutMs?: number;
  /** After a failure, Redis is not called for this long (ms); then one request tries it again. */
  coolDownMs?: number;
  /** The breaker's clock (tests move it). */
  now?: () => number;
}

/**
 * Buckets shared by every gateway instance through Redis. If Redis cannot answer (down, hung, not yet connected),
 * the request is counted in this process's memory instead: callers stay limited, per instance, rather than the
 * API failing closed (refusing everyone) or open (no limit at all) while Redis is away.
 *
 * A circuit breaker keeps a hung Redis from costing every request its command timeout: after a failure Redis is
 * left alone for the cool-down, every request counted in memory at once; then a single request tries Redis again
 * (the others keep to memory until it is answered) and either closes the breaker or opens it for another cool-down.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: BucketRedis;
  private readonly fallback = new MemoryRateLimitStore();
  private readonly prefix: string;
  private readonly coolDownMs: number;
  private readonly now: () => number;
  /** While the breaker is open: when Redis may be tried again; 0 while it is closed. */
  private openUntil = 0;
  /** A request is trying Redis again after a cool-down. */
  private probing = false;
  private degraded = false;

  constructor(url: string, options: RedisStoreOptions = {}) {
    this.prefix = options.prefix ?? 'conum:ratelimit:';
    this.coolDownMs = options.coolDownMs ?? 5_000;
    this.now = options.now ?? Date.now;
    // A Redis next to the gateway answers in well under a millisecond.
    this.redis = gatewayRedis(url, (error) => this.trip(error), options.commandTimeoutMs ?? 100) as BucketRedis;
    this.redis.defineCommand('conumBucket', { numberOfKeys: 1, lua: BUCKET_SCRIPT });
  }

  /** Resolves once connected; until then requests are counted in memory. */
  ready(): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.redis.once('ready', () => resolve()));
  }

  /** Closed breaker: yes. Open: no, until the cool-down is over; then yes for one request at a time. */
  private mayCallRedis(): boolean {
    if (this.openUntil === 0) return true;
    if (this.probing || this.now() < this.openUntil) return false;
    this.probing = true;
    return true;
  }

  private trip(error: unknown): void {
    this.openUntil = this.now() + this.coolDownMs;
    this.probing = false;
    if (this.degraded) return;
    this.degraded = true;
    log.warn('Redis unreachable: rate limits counted per gateway instance until it is back', {
      message: error instanceof Error ? error.message : String(error),
    });
  }

  private recovered(): void {
    this.openUntil = 0;
    this.probing = false;
    if (!this.degraded) return;
    this.degraded = false;
    log.info('Redis is back: rate limits shared again');
  }

  take(key: string, cost: number, policy: BucketPolicy): Promise<BucketState> {
    return this.apply(key, cost, policy, false);
  }

  adjust(key: string, delta: number, policy: BucketPolicy): Promise<BucketState> {
    return this.apply(key, delta, policy, true);
  }

  private async apply(key: string, cost: number, policy: BucketPolicy, force: boolean): Promise<BucketState> {
    const inMemory = () => (force ? this.fallback.adjust(key, cost, policy) : this.fallback.take(key, cost, policy));
    if (!this.mayCallRedis()) return inMemory();
    try {
      const [allowed, tokens] = await this.redis.conumBucket(this.prefix + key, policy.capacity, policy.restoreRate, cost, force ? 1 : 0);
      this.recovered();
      const available = Number(tokens);
      return allowed === 1
        ? { allowed: true, available, retryAfterSeconds: 0 }
        : { allowed: false, available, retryAfterSeconds: secondsUntilAdmitted(available, policy) };
    } catch (error) {
      this.trip(error);
      return inMemory();
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await this.fallback.close();
  }
}

/** Redis when REDIS_URL is set (several gateway instances share budgets), else this process's memory. */
export function createRateLimitStore(redisUrl: string | undefined): RateLimitStore {
  return redisUrl ? new RedisRateLimitStore(redisUrl) : new MemoryRateLimitStore();
}

/**
 * Rate-limit response headers: the IETF draft's `RateLimit-Policy` / `RateLimit` (draft-ietf-httpapi-ratelimit-headers-10;
 * the window `w` is the time a bucket takes to refill from empty, `t` the seconds until it is full again) and
 * GitHub's `x-ratelimit-*`, which most client libraries already read.
 */
export function rateLimitHeaders(policy: BucketPolicy, available: number, used: number, nowMs = Date.now()): [string, string][] {
  const remaining = Math.max(0, Math.floor(available));
  const window = Math.ceil(policy.capacity / policy.restoreRate);
  const untilFull = Math.max(0, Math.ceil((policy.capacity - available) / policy.restoreRate));
  return [
    ['ratelimit-policy', `"cost";q=${policy.capacity};w=${window}`],
    ['ratelimit', `"cost";r=${remaining};t=${untilFull}`],
    ['x-ratelimit-limit', String(policy.capacity)],
    ['x-ratelimit-remaining', String(remaining)],
    ['x-ratelimit-used', String(used)],
    ['x-ratelimit-reset', String(Math.ceil(nowMs / 1000) + untilFull)],
    ['x-ratelimit-resource', 'graphql'],
  ];
}
