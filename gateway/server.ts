import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import { readFileSync } from 'node:fs';
import type { Env, SubgraphName } from '../common/env.js';
import { createLogger } from '../common/logger.js';
import { jsonErrorHandler, notFoundHandler, setHttpTimeouts } from '../common/http.js';
import { nulCharacterGuard } from '../common/nul-guard.js';
import { SUPERGRAPH_PATH } from '../common/type-defs.js';
import type { Authenticator } from './auth.js';
import { authorizationPlugin } from './authorization.js';
import type { GatewayContext } from './context.js';
import { SignedDataSource } from './data-source.js';
import { createErrorFormatter, valueCompletionPlugin } from './errors.js';
import { idempotencyPlugin } from './idempotency.js';
import { inputValidationPlugin } from './input-validation.js';
import { compressResponses, corsPolicy, securityHeaders } from './http-policy.js';
import { introspectionLimitPlugin } from './introspection.js';
import { playground } from './landing-page.js';
import { LIMITS, limitPlugins, nestingGuard, type QueryLimitsOptions } from './limits.js';
import { createRateLimitStore, type BucketPolicy } from './rate-limit.js';

export interface GatewayOptions {
  /** The composed schema (schema/supergraph.graphql): no runtime introspection of the subgraphs. */
  supergraphSdl: string;
  /** Where each subgraph is served; overrides the routing URLs baked into the supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Signs the caller's identity on every subgraph request. */
  gatewaySecret: string;
  /** Turns the request's credentials into the viewer, once per request. */
  authenticator: Authenticator;
  /** Production hardening (no introspection or field suggestions for anonymous callers; HSTS); the entry points set it from NODE_ENV. */
  production?: boolean;
  /** Rate-limit store and bucket overrides (default: Redis when REDIS_URL is set, else memory). */
  limits?: QueryLimitsOptions;
  /** Origins whose pages may call the API from a browser (CORS_ORIGINS); none by default. */
  corsOrigins?: readonly string[];
  /** Proxy hops in front of the gateway whose X-Forwarded-For is believed (TRUST_PROXY); 0 by default. */
  trustProxy?: number;
  /** Overrides the playground's page-load bucket (PAGE_BUCKET). */
  pageBucket?: BucketPolicy;
  /** How long a subgraph call may take (default SUBGRAPH_TIMEOUT_MS). */
  subgraphTimeoutMs?: number;
  host?: string;
  port?: number;
}

/**
 * The options the environment decides, alike for the gateway's own process and the one-process runner: the committed
 * supergraph, production hardening from NODE_ENV, the rate-limit store, CORS, proxies and where to listen.
 */
export function gatewayOptionsFromEnv(
  env: Env,
): Pick<GatewayOptions, 'supergraphSdl' | 'production' | 'limits' | 'corsOrigins' | 'trustProxy' | 'host' | 'port'> {
  return {
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    production: env.NODE_ENV === 'production',
    limits: { redisUrl: env.REDIS_URL },
    corsOrigins: env.CORS_ORIGINS,
    trustProxy: env.TRUST_PROXY,
    host: env.HOST,
    port: env.GATEWAY_PORT,
  };
}

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

const log = createLogger('gateway');

/** Is every subgraph ready (which includes its database)? */
async function subgraphsReady(urls: Record<string, string>): Promise<Record<string, boolean>> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const res = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(2000) });
        return [name, res.ok] as const;
      } catch {
        return [name, false] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** Serves the federated API at `/` (POST queries, GET the offline playground), plus `/health` and `/ready`. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) =>
      new SignedDataSource(name, options.subgraphUrls[name as SubgraphName] ?? url!, options.gatewaySecret, options.subgraphTimeoutMs),
  });
  const production = options.production ?? false;
  const app = express();
  app.disable('x-powered-by');
  // req.ip, which keys anonymous budgets and page loads, is then the client's address as the load balancer saw it.
  app.set('trust proxy', options.trustProxy ?? 0);
  const httpServer = http.createServer(app);
  // One store for the GraphQL budgets and the playground's page loads.
  const store = options.limits?.store ?? createRateLimitStore(options.limits?.redisUrl);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createErrorFormatter(options.subgraphUrls),
    includeStacktraceInErrorResponses: false,
    // Apollo's default turns it off for everyone in production; the authorization plugin decides per caller.
    introspection: true,
    parseOptions: { maxTokens: LIMITS.tokens },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // The playground is served by Express below, with its own headers, cache and rate limit.
      ApolloServerPluginLandingPageDisabled(),
      // Before the cost budget plugin reads the response's errors (a response with errors gets no refund).
      valueCompletionPlugin(),
      // Too much introspection is refused first, with one code for every caller.
      introspectionLimitPlugin(),
      // Apollo answers the first listed refusal of didResolveOperation: who may read comes before what it costs
      // (an anonymous caller of a restricted field hears "sign in", not a price).
      authorizationPlugin(options.supergraphSdl, { production }),
      // Before any other plugin that walks the document: hostile documents are refused first.
      ...limitPlugins(options.supergraphSdl, { ...options.limits, store }),
      inputValidationPlugin(),
      nulCharacterGuard(),
      idempotencyPlugin({ redisUrl: options.limits?.redisUrl }),
    ],
  });
  await apollo.start();

  app.use(securityHeaders({ production }), corsPolicy(options.corsOrigins ?? []));
  app.use(playground({ endpoint: '/', store, bucket: options.pageBucket }));
  app.use(compressResponses());
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const subgraphs = await subgraphsReady(options.subgraphUrls);
    const ready = Object.values(subgraphs).every(Boolean);
    // Names only: the subgraphs' internal addresses are not for clients.
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', subgraphs });
  });
  app.all(
    '/',
    express.json({ limit: LIMITS.bodyBytes }),
    nestingGuard,
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        viewer: await options.authenticator.authenticate(req.headers.authorization),
        ip: req.ip ?? 'unknown',
      }),
    }),
  );
  app.use(notFoundHandler, jsonErrorHandler(log));

  setHttpTimeouts(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host === '0.0.0.0' ? 'localhost' : (options.host ?? '127.0.0.1')}:${port}/`;
  log.info('gateway ready', { url });
  return {
    url,
    async stop() {
      await apollo.stop();
      if (!options.limits?.store) await store.close();
    },
  };
}
