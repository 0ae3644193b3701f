import { z } from 'zod';

/** The subgraphs, in composition order. Their names are also their PostgreSQL schemas. */
export const SUBGRAPH_NAMES = ['recruitment', 'conventions', 'training', 'activity'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const DEFAULT_PORTS: Record<SubgraphName, number> = { recruitment: 4001, conventions: 4002, training: 4003, activity: 4004 };

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

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
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
});

export type Env = z.infer<typeof schema> & {
  subgraphPort(name: SubgraphName): number;
  subgraphUrl(name: SubgraphName): string;
};

/** Parses the environment once; every problem is reported together, then the process stops. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const env = parsed.data;
  const subgraphPort = (name: SubgraphName) => env[`${name.toUpperCase() as Uppercase<SubgraphName>}_PORT`];
  return {
    ...env,
    subgraphPort,
    subgraphUrl: (name) => env[`${name.toUpperCase() as Uppercase<SubgraphName>}_URL`] ?? `http://127.0.0.1:${subgraphPort(name)}/graphql`,
  };
}
