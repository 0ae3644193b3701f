import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { RequestHandler } from 'express';
import { GraphQLError, parse } from 'graphql';
import { ErrorCode } from '../common/errors.js';
import { MAX_BODY_BYTES } from '../common/http.js';
import type { Viewer } from '../common/viewer.js';
import type { GatewayContext } from './context.js';
import { actualCost, COST, listSizes, measureOperation, type OperationMeasure } from './cost.js';
import { BUCKETS, bucketKey, rateLimitHeaders, type BucketPolicy, type BucketState, type RateLimitStore } from './rate-limit.js';

/**
 * Limits on one document (docs/security.md §8). They are enforced in a server plugin, per request, rather than as
 * validation rules: Apollo Server validates a query text once and caches it, whereas the cost depends on the
 * variables and the allowance on the caller. Everything here runs before the gateway plans the query, because
 * planning a fragment fan-out is what exhausts its memory (docs/security.md §6.5).
 */
export const LIMITS = {
  /** Request body in bytes, refused with 413 before parsing: room for a `fileCras` batch of 500 reports. */
  bodyBytes: MAX_BODY_BYTES,
  /** Brackets and braces open at once, checked on the raw text before parsing (graphql-js overflows its stack near 2,266). */
  nesting: 64,
  /** Lexical tokens, enforced by graphql-js's parser (`parseOptions.maxTokens`: 400 GRAPHQL_PARSE_FAILED). */
  tokens: 5_000,
  /** Field depth, fragments expanded, introspection excluded: room for three nested connections through `edges { node }`. */
  depth: 12,
  aliases: 15,
  rootFields: 20,
  directives: 20,
  /**
   * Field selections with fragments expanded. Cost ignores scalars, so a fan-out of `__typename`s would be free;
   * this caps it. A hand-written dashboard query has a few hundred at most (GraphiQL's introspection ~200); the
   * gateway's planner already needs 0.4 s for 4,096 fan-out selections.
   */
  selections: 2_000,
} as const;

/**
 * Highest requested cost of one operation. Partner keys as Shopify (1,000); dashboard users as graphql-armor
 * (5,000). Anonymous callers only read public statistics, which are cheap: 500 leaves room for a statistics page
 * while keeping a scraper's pages small. A request within its maximum is admitted whenever the caller's bucket is
 * positive, even when it costs more than the bucket holds (rate-limit.ts): the two never contradict each other.
 */
export const MAX_COST: Record<Viewer['kind'], number> = { api_key: 1_000, user: 5_000, anonymous: 500 };

/**
 * Writes per signed-in user (docs/security.md §8): at most 80 a minute and 500 an hour, as two buckets of one point per
 * mutation, on top of the cost budget (a mutation costs 10 more points than a query).
 */
export const MUTATION_BUCKETS: { minute: BucketPolicy; hour: BucketPolicy } = {
  minute: { capacity: 80, restoreRate: 80 / 60 },
  hour: { capacity: 500, restoreRate: 500 / 3600 },
};

/**
 * Requests one caller may have in flight on one gateway (docs/security.md §8: ≤ 10 per key). A dashboard opens several
 * panels at once, hence more for users.
 */
export const MAX_CONCURRENT: Record<Viewer['kind'], number> = { api_key: 10, user: 20, anonymous: 10 };

export interface QueryLimitsOptions {
  /** Redis shared by every gateway instance (REDIS_URL); buckets are kept in memory without it. */
  redisUrl?: string;
  /** Where buckets live, instead of the store made from `redisUrl` (tests). Closed with the server only when made here. */
  store?: RateLimitStore;
  /** Overrides of MUTATION_BUCKETS (tests use small ones). */
  mutationBuckets?: Partial<typeof MUTATION_BUCKETS>;
  /** Overrides of MAX_CONCURRENT per kind of caller. */
  maxConcurrent?: Partial<Record<Viewer['kind'], number>>;
  /** Overrides of BUCKETS per kind of caller (tests use small ones). */
  buckets?: Partial<Record<Viewer['kind'], BucketPolicy>>;
}

/**
 * The deepest bracket nesting of a GraphQL text (`{`, `[`, `(`), skipping strings, block strings and comments.
 * Stops as soon as `limit` is passed: the parser must never see such a text.
 */
export function lexicalNesting(source: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '"') {
      if (source.startsWith('"""', i)) {
        i += 3;
        while (i < source.length && !source.startsWith('"""', i)) i += source.startsWith('\\"""', i) ? 4 : 1;
        i += 2;
      } else {
        i++;
        while (i < source.length && source[i] !== '"' && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === '}' || c === ']' || c === ')') {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

/** A refused request: HTTP 400, the code, the limit and what was measured. */
export function limitError(code: string, what: string, measured: number, limit: number): GraphQLError {
  return new GraphQLError(`${what} ${measured} exceeds the limit of ${limit}.`, {
    extensions: { code, limit, measured, http: { status: 400 } },
  });
}

function checkLimits(measure: OperationMeasure, maxCost: number): void {
  const checks: [string, string, number, number][] = [
    [ErrorCode.MAX_DEPTH_LIMIT, 'Query depth', measure.depth, LIMITS.depth],
    [ErrorCode.MAX_ALIASES_LIMIT, 'Alias count', measure.aliases, LIMITS.aliases],
    [ErrorCode.MAX_ROOT_FIELDS_LIMIT, 'Root field count', measure.rootFields, LIMITS.rootFields],
    [ErrorCode.MAX_DIRECTIVES_LIMIT, 'Directive count', measure.directives, LIMITS.directives],
    [ErrorCode.MAX_SELECTIONS_LIMIT, 'Field selections (fragments expanded)', measure.selections, LIMITS.selections],
    [ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE, 'Estimated query cost', measure.cost, maxCost],
  ];
  for (const [code, what, measured, limit] of checks) {
    if (measured > limit) throw limitError(code, what, measured, limit);
  }
}

/**
 * Refuses a document nested deeper than LIMITS.nesting before anything parses it. This is HTTP middleware (put
 * after the JSON body parser) rather than a `didResolveSource` hook: Apollo Server 5 turns an error thrown from
 * that hook, or from any hook before parsing, into a 500 "Internal server error".
 */
export const nestingGuard: RequestHandler = (req, res, next) => {
  const body: unknown = req.body;
  const fromBody = body && typeof body === 'object' && 'query' in body ? body.query : undefined;
  const query = typeof fromBody === 'string' ? fromBody : req.query.query;
  const nesting = typeof query === 'string' ? lexicalNesting(query, LIMITS.nesting) : 0;
  if (nesting <= LIMITS.nesting) {
    next();
    return;
  }
  const { message, extensions } = limitError(ErrorCode.MAX_NESTING_LIMIT, 'Bracket nesting', nesting, LIMITS.nesting);
  const { http: _http, ...visible } = extensions;
  res.status(400).json({ errors: [{ message, extensions: visible }] });
};

/** What the limit plugins know of one request: its measure, taken once, and whether a check has refused it. */
interface RequestLimits {
  /** Depth, counts and requested cost of the operation, once it is known (documentLimitsPlugin). */
  measure?: OperationMeasure;
  /** Set by the first check that refuses: the checks listed after it neither run nor charge. */
  refused: boolean;
  /** The checks that wait on the store, chained in the order listed; never rejects. */
  settled: Promise<void>;
}

/**
 * The state the limit plugins share, keyed by the request's context. Apollo runs every plugin's
 * `didResolveOperation` at once, so each check goes through here to keep their order: a later one runs only when
 * the earlier ones admitted the request (no write is counted, nothing charged, for a refused document).
 */
class LimitChecks {
  private readonly requests = new WeakMap<GatewayContext, RequestLimits>();

  of(context: GatewayContext): RequestLimits {
    let limits = this.requests.get(context);
    if (!limits) {
      limits = { refused: false, settled: Promise.resolve() };
      this.requests.set(context, limits);
    }
    return limits;
  }

  /**
   * A check without I/O, run at once: what it throws refuses the request in the same tick, so Apollo answers it
   * before the refusals of plugins listed after the limits. Listed before every `afterEarlier` check.
   */
  now(context: GatewayContext, check: (limits: RequestLimits) => void): void {
    const limits = this.of(context);
    if (limits.refused) return;
    try {
      check(limits);
    } catch (error) {
      limits.refused = true;
      throw error;
    }
  }

  /** A check that waits on the store: it runs once the checks before it have admitted the request. */
  afterEarlier(context: GatewayContext, check: (limits: RequestLimits) => Promise<void>): Promise<void> {
    const limits = this.of(context);
    const run = limits.settled.then(async () => {
      if (limits.refused) return;
      try {
        await check(limits);
      } catch (error) {
        limits.refused = true;
        throw error;
      }
    });
    limits.settled = run.catch(() => undefined);
    return run;
  }
}

/** Requests one caller may have in flight on this gateway instance (MAX_CONCURRENT): 429 with Retry-After 1 s. */
function concurrencyPlugin(checks: LimitChecks, overrides: QueryLimitsOptions['maxConcurrent']): ApolloServerPlugin<GatewayContext> {
  /** Requests in flight per caller. */
  const inFlight = new Map<string, number>();
  return {
    async requestDidStart({ contextValue }) {
      const caller = bucketKey(contextValue.viewer, contextValue.ip);
      const concurrent = (inFlight.get(caller) ?? 0) + 1;
      inFlight.set(caller, concurrent);
      let released = false;
      let refused = false;
      return {
        async didResolveOperation({ contextValue }) {
          checks.now(contextValue, () => {
            const max = overrides?.[contextValue.viewer.kind] ?? MAX_CONCURRENT[contextValue.viewer.kind];
            if (concurrent <= max) return;
            refused = true;
            throw new GraphQLError(`Too many concurrent requests: at most ${max} at a time; retry when one has finished.`, {
              extensions: { code: ErrorCode.RATE_LIMITED, limit: max, http: { status: 429 } },
            });
          });
        },
        async willSendResponse(rc) {
          if (!released) {
            released = true;
            const left = (inFlight.get(caller) ?? 1) - 1;
            if (left > 0) inFlight.set(caller, left);
            else inFlight.delete(caller);
          }
          if (refused) rc.response.http.headers.set('retry-after', '1');
        },
      };
    },
  };
}

/**
 * Once the operation is known: depth, aliases, root fields, directives, selections, page sizes and the requested
 * cost against the caller's maximum (lists priced by the supergraph's `@listSize`). The measure is kept for the
 * write-rate and budget checks.
 */
function documentLimitsPlugin(checks: LimitChecks, sizes: ReturnType<typeof listSizes>): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          checks.now(contextValue, (limits) => {
            if (!operation) return;
            limits.measure = measureOperation(schema, document, operation, request.variables ?? {}, sizes);
            checkLimits(limits.measure, MAX_COST[contextValue.viewer.kind]);
          });
        },
      };
    },
  };
}

/** Mutations of a signed-in user, one point each in a minute's and an hour's bucket (MUTATION_BUCKETS): 429 with Retry-After. */
function writeRatePlugin(
  checks: LimitChecks,
  store: RateLimitStore,
  overrides: QueryLimitsOptions['mutationBuckets'],
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      /** Seconds until the user may write again, when a window refused it. */
      let retryAfter: number | undefined;
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'mutation' || contextValue.viewer.kind !== 'user') return;
          await checks.afterEarlier(contextValue, async () => {
            const caller = bucketKey(contextValue.viewer, contextValue.ip);
            for (const window of ['minute', 'hour'] as const) {
              const bucket = overrides?.[window] ?? MUTATION_BUCKETS[window];
              const writes = await store.take(`mutations-${window}:${caller}`, 1, bucket);
              if (writes.allowed) continue;
              retryAfter = writes.retryAfterSeconds;
              throw new GraphQLError(
                `Too many changes: at most ${bucket.capacity} an ${window === 'hour' ? 'hour' : 'minute'}; retry in ${writes.retryAfterSeconds} s.`,
                {
                  extensions: {
                    code: ErrorCode.RATE_LIMITED,
                    limit: bucket.capacity,
                    window,
                    retryAfter: writes.retryAfterSeconds,
                    http: { status: 429 },
                  },
                },
              );
            }
          });
        },
        async willSendResponse(rc) {
          if (retryAfter !== undefined) rc.response.http.headers.set('retry-after', String(retryAfter));
        },
      };
    },
  };
}

/**
 * The caller's cost budget (BUCKETS): the requested cost is charged if the bucket is positive (429 when it is not).
 * After execution the charge is settled to what the operation actually cost, computed from the response data
 * (Shopify's model): the difference is refunded, or debited when a list came back longer than its declared size.
 * Every response that reaches `willSendResponse` carries `extensions.cost` and the rate-limit headers.
 */
function costBudgetPlugin(
  checks: LimitChecks,
  store: RateLimitStore,
  overrides: QueryLimitsOptions['buckets'],
): ApolloServerPlugin<GatewayContext> {
  const policyFor = (viewer: Viewer): BucketPolicy => overrides?.[viewer.kind] ?? BUCKETS[viewer.kind];

  async function report(
    rc: GraphQLRequestContextWillSendResponse<GatewayContext>,
    charge: Promise<BucketState> | undefined,
  ): Promise<void> {
    const { viewer, ip } = rc.contextValue;
    const requested = checks.of(rc.contextValue).measure?.cost;
    const policy = policyFor(viewer);
    const key = bucketKey(viewer, ip);
    const charged = charge && (await charge.catch(() => undefined));
    let state = charged;
    let actual: number | undefined;
    /** Points this request finally costs its caller. */
    let used = 0;
    const body = rc.response.body;
    if (charged?.allowed && requested !== undefined) {
      used = requested;
      if (body.kind === 'single' && rc.document && rc.operation) {
        // `data` is absent when the request was refused before execution (by authorization, say): it then
        // costs the minimum. A query that ran and failed keeps at least its estimate, so that a query made to
        // fail late does not get its work for free.
        const executed = body.singleResult.data !== undefined;
        if (executed) actual = actualCost(rc.document, rc.operation, body.singleResult.data);
        const failed = executed && Boolean(body.singleResult.errors?.length);
        const owed = actual ?? COST.minimum;
        used = failed ? Math.max(requested, owed) : owed;
        if (used !== requested) state = await store.adjust(key, used - requested, policy);
      }
    }
    state ??= await store.take(key, 0, policy);
    for (const [name, value] of rateLimitHeaders(policy, state.available, used)) rc.response.http.headers.set(name, value);
    if (charged && !charged.allowed) rc.response.http.headers.set('retry-after', String(charged.retryAfterSeconds));
    if (body.kind !== 'single') return;
    body.singleResult.extensions = {
      ...body.singleResult.extensions,
      cost: {
        requestedQueryCost: requested ?? 0,
        ...(actual !== undefined && { actualQueryCost: actual }),
        throttleStatus: {
          maximumAvailable: policy.capacity,
          currentlyAvailable: Math.floor(state.available),
          restoreRate: policy.restoreRate,
        },
      },
    };
  }

  return {
    async requestDidStart() {
      let charge: Promise<BucketState> | undefined;
      return {
        async didResolveOperation({ contextValue }) {
          await checks.afterEarlier(contextValue, async ({ measure }) => {
            if (!measure) return;
            charge = store.take(bucketKey(contextValue.viewer, contextValue.ip), measure.cost, policyFor(contextValue.viewer));
            const state = await charge;
            if (state.allowed) return;
            throw new GraphQLError(
              `Rate limit exceeded: the budget is spent (${Math.floor(state.available)} points); retry in ${state.retryAfterSeconds} s.`,
              {
                extensions: {
                  code: ErrorCode.RATE_LIMITED,
                  cost: measure.cost,
                  retryAfter: state.retryAfterSeconds,
                  http: { status: 429 },
                },
              },
            );
          });
        },
        async willSendResponse(rc) {
          // Apollo answers the first refusal without waiting for the other checks: the charge is settled once they are done.
          await checks.of(rc.contextValue).settled;
          await report(rc, charge);
        },
      };
    },
  };
}

/**
 * The limit plugins, one concern each, in the order they check a request: concurrency, the document's limits,
 * the write rate, the cost budget. List them right after the authorization plugin: Apollo runs every plugin's
 * `didResolveOperation` and answers with the first listed refusal, so a caller who may not read a field hears that
 * before any price, and a hostile document gets these plugins' code (the authorization walk is linear on fan-outs).
 */
export function limitPlugins(
  supergraphSdl: string,
  options: QueryLimitsOptions & { store: RateLimitStore },
): ApolloServerPlugin<GatewayContext>[] {
  const checks = new LimitChecks();
  return [
    concurrencyPlugin(checks, options.maxConcurrent),
    documentLimitsPlugin(checks, listSizes(parse(supergraphSdl))),
    writeRatePlugin(checks, options.store, options.mutationBuckets),
    costBudgetPlugin(checks, options.store, options.buckets),
  ];
}
