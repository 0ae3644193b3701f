import { z } from 'zod';

/** The subgraphs, in composition order. Their names are also their PostgreSQL schemas. */
export const SUBGRAPH_NAMES = ['recruitment', 'conventions', 'training', 'activity'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Each subgraph's port when none is configured; also the routing URLs baked into the composed supergraph. */
export const DEFAULT_PORTS: Record<SubgraphName, number> = { recruitment: 4001, conventions: 4002, training: 4003, activity: 4004 };

const port = z.coerce.number().int().min(0).max(65535);
const flag = z.enum(['0', '1']).transform((v) => v === '1');
/** A comma-separated list of exact origins (`https://tableau.example.fr`, `http://localhost:3000`): no path, no wildcard. */
const origins = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().refine((o) => URL.canParse(o) && new URL(o).origin === o, {
        message: 'each origin is scheme://host[:port], with no path or trailing slash',
      }),
    ),
  );

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const fields = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Unset: `info`, or `silent` under NODE_ENV=test (see logLevel). */
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  /** PostgreSQL server; when absent, `npm start` runs an embedded PGlite. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Where the embedded PGlite keeps its files (git-ignored). */
  PGLITE_DATA_DIR: z.string().default('.data/pglite'),
  /** Seed the demo data set when a subgraph's tables are empty. */
  SEED_DEMO: flag.default(true),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** Cap on each SQL statement the served subgraphs run (ms); 0 disables it. */
  SQL_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(3000),
  HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port.default(4000),
  RECRUITMENT_PORT: port.default(DEFAULT_PORTS.recruitment),
  CONVENTIONS_PORT: port.default(DEFAULT_PORTS.conventions),
  TRAINING_PORT: port.default(DEFAULT_PORTS.training),
  ACTIVITY_PORT: port.default(DEFAULT_PORTS.activity),
  /**
   * Shared by the gateway and the subgraphs to sign the caller's identity on each subgraph request. Required when
   * they run as separate processes; `npm start` makes a random one when unset.
   */
  GATEWAY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Server-side key of the HMAC under which API keys are stored. Required in production; a dev one is kept in .data/. */
  API_KEY_PEPPER: z.string().min(32, 'must be at least 32 characters').optional(),
  /** JWKS of the OIDC provider (ProConnect) that signs dashboard users' tokens; unset outside production → dev issuer. */
  OIDC_JWKS_URL: z.url().optional(),
  OIDC_ISSUER: z.string().optional(),
  OIDC_AUDIENCE: z.string().default('conum-graph'),
  /** Longest a dashboard token may live, in seconds (`exp − iat`, and use after `iat`); default 12 h (gateway/auth.ts). */
  OIDC_MAX_TOKEN_LIFETIME_S: z.coerce.number().int().min(60).max(86_400).optional(),
  /**
   * NATS server with JetStream: the subgraphs' domain events travel through it when set; otherwise `npm start`
   * delivers them in process (common/events/bus.ts) and a subgraph running on its own keeps them in its outbox.
   */
  NATS_URL: z.url({ protocol: /^(nats|tls|wss?)$/ }).optional(),
  /** Rate-limit buckets are shared through Redis when set, kept in memory otherwise. */
  REDIS_URL: z.url().optional(),
  /** Origins whose pages may call the gateway from a browser (CORS); none when unset. */
  CORS_ORIGINS: origins.default([]),
  /**
   * Proxies in front of the gateway that append to X-Forwarded-For (a load balancer: 1). The client's address, which
   * counts anonymous callers' budgets and page loads, is read that many hops from the end; 0 uses the socket's peer.
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Where the development secrets (dev token issuer, API-key pepper) are kept; git-ignored. */
  DEV_SECRETS_DIR: z.string().default('.data/dev'),
  /** Where the gateway reaches each subgraph; defaults to the local ports. */
  RECRUITMENT_URL: z.url().optional(),
  CONVENTIONS_URL: z.url().optional(),
  TRAINING_URL: z.url().optional(),
  ACTIVITY_URL: z.url().optional(),
  /** The activity benchmark's national data set (`npm run data:generate:activity`, `npm run bench:activity`). */
  BENCH_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgresql://postgres@127.0.0.1:5432/conum_bench_activity'),
});
type Fields = z.output<typeof fields>;

/** What production (NODE_ENV=production) cannot run without, and why: outside it each has a development stand-in. */
const PRODUCTION_REQUIRES: Partial<Record<keyof Fields, string>> = {
  API_KEY_PEPPER: 'API keys are stored under its HMAC (outside production a random one is kept in DEV_SECRETS_DIR)',
  OIDC_JWKS_URL: "dashboard tokens are verified against the OIDC provider's keys (outside production, the development issuer's)",
  OIDC_ISSUER: 'dashboard tokens must come from the OIDC provider',
};

/** LOG_LEVEL when unset: nothing is logged under test. */
const levelOf = (level: LogLevel | undefined, nodeEnv: string | undefined): LogLevel => level ?? (nodeEnv === 'test' ? 'silent' : 'info');

/**
 * The whole environment: each variable's own rule, then what must be set together: production's requirements, an
 * issuer with a JWKS, what the process itself needs (`required`). Those run even when a variable is invalid, so one
 * message lists every problem.
 */
function schemaRequiring(required: Partial<Record<keyof Fields, string>>) {
  return fields
    .superRefine(
      (env, ctx) => {
        /** Each variable once, with the first reason it is needed. */
        const needs = new Map<string, string>();
        const need = (name: string, why: string) => {
          if (!needs.has(name)) needs.set(name, why);
        };
        if (env.NODE_ENV === 'production')
          for (const [name, why] of Object.entries(PRODUCTION_REQUIRES)) need(name, `in production: ${why}`);
        if (env.OIDC_JWKS_URL !== undefined) need('OIDC_ISSUER', 'with OIDC_JWKS_URL: tokens must name their issuer');
        for (const [name, why] of Object.entries(required)) need(name, why);
        // An invalid value is reported by its own rule, not again as missing.
        for (const [name, why] of needs) {
          if (env[name as keyof Fields] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `required ${why}` });
        }
      },
      { when: () => true },
    )
    .transform((env) => ({ ...env, LOG_LEVEL: levelOf(env.LOG_LEVEL, env.NODE_ENV) }));
}

export type Env = z.output<ReturnType<typeof schemaRequiring>> & {
  subgraphPort(name: SubgraphName): number;
  subgraphUrl(name: SubgraphName): string;
};

/**
 * Parses the environment once; every problem is reported together, then the process stops. `required` names what
 * this process cannot run without beyond production's requirements, each with the reason its message gives (the
 * gateway's own process needs GATEWAY_SECRET, say); those come back typed as set.
 */
export function loadEnv<K extends keyof Fields = never>(
  source: NodeJS.ProcessEnv = process.env,
  required: Record<K, string> = {} as Record<K, string>,
): Env & { [P in K]-?: NonNullable<Fields[P]> } {
  // An empty variable is an unset one (docker-compose passes `${OIDC_JWKS_URL:-}` as an empty string).
  const parsed = schemaRequiring(required).safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const env = parsed.data;
  const subgraphPort = (name: SubgraphName) => env[`${name.toUpperCase() as Uppercase<SubgraphName>}_PORT`];
  return {
    ...(env as typeof env & { [P in K]-?: NonNullable<Fields[P]> }),
    subgraphPort,
    subgraphUrl: (name) => env[`${name.toUpperCase() as Uppercase<SubgraphName>}_URL`] ?? `http://127.0.0.1:${subgraphPort(name)}/graphql`,
  };
}

/** The last LOG_LEVEL and NODE_ENV read, and the level they gave: most log lines ask with the same pair. */
let lastLevel: { raw: string; level: LogLevel } | undefined;

/**
 * LOG_LEVEL as the schema reads it, from the environment as it is now: the logger asks at each line, since tests
 * change it at run time; the schema parses a pair only when it changed. An invalid value logs at `info` (loadEnv
 * reports it).
 */
export function logLevel(source: NodeJS.ProcessEnv = process.env): LogLevel {
  const raw = `${source.LOG_LEVEL ?? ''}|${source.NODE_ENV ?? ''}`;
  if (lastLevel?.raw !== raw) {
    const level = fields.shape.LOG_LEVEL.safeParse(source.LOG_LEVEL || undefined);
    lastLevel = { raw, level: level.success ? levelOf(level.data, source.NODE_ENV) : 'info' };
  }
  return lastLevel.level;
}
