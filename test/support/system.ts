import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SubgraphName } from '../../common/env.js';
import type { MikroORM } from '../../common/db.js';
import { openSubgraphOrm, startSubgraph, type RunningSubgraph } from '../../common/server.js';
import { startEventBus, type BusOptions, type EventBus } from '../../common/events/bus.js';
import { eventNodes, subgraphs } from '../../subgraphs/registry.js';
import { SUPERGRAPH_PATH } from '../../common/type-defs.js';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../gateway/server.js';
import { ApiKeyStore } from '../../gateway/api-key-store.js';
import { Authenticator, type ConumClaims } from '../../gateway/auth.js';
import { createDevIssuer, type DevIssuer } from '../../gateway/dev-issuer.js';
import { signViewer, SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';
import { testDatabaseUrl } from './subgraph.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface TestSystem {
  gatewayUrl: string;
  /** The secret the gateway signs subgraph requests with (to forge or check signed calls in tests). */
  gatewaySecret: string;
  /** Signs dashboard tokens the gateway accepts. */
  issuer: DevIssuer;
  /** The partner key registry the gateway checks keys against. */
  apiKeys: ApiKeyStore;
  /** `Authorization` header for a dashboard user with these claims. */
  bearer(claims: ConumClaims): Promise<Record<string, string>>;
  subgraphs: RunningSubgraph[];
  orms: Record<SubgraphName, MikroORM>;
  /** POSTs an operation to the gateway over HTTP, as a client would. */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T> & { status: number }>;
  /**
   * POSTs an operation straight to one subgraph over HTTP, the viewer (an admin unless told) signed as the gateway
   * signs it, for that subgraph and that body; `headers`, when given, are sent instead of the signed identity.
   */
  querySubgraph<T = Record<string, unknown>>(
    name: SubgraphName,
    query: string,
    variables?: Record<string, unknown>,
    options?: { viewer?: Viewer; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T> & { status: number }>;
  stop(): Promise<void>;
}

/** The whole system on ephemeral loopback ports: four subgraphs over HTTP and the gateway booted from the committed supergraph. */
export interface SystemOptions {
  production?: boolean;
  /** Defaults to the test database. */
  databaseUrl?: string;
  /** Connections per subgraph (default 4). */
  poolMax?: number;
  /** Rate-limit overrides (the benchmark lifts them). */
  limits?: GatewayOptions['limits'];
  subgraphTimeoutMs?: GatewayOptions['subgraphTimeoutMs'];
  /** CORS origins, proxy hops and the playground's page bucket. */
  http?: Pick<GatewayOptions, 'corsOrigins' | 'trustProxy' | 'pageBucket'>;
  /**
   * Runs the domain-event bus (in process unless `natsUrl` is given). Off by default: its relay polls every
   * outbox, which would count in other tests' statement counts, and on the shared database it would apply other
   * files' events; a suite that turns it on uses a database of its own.
   */
  events?: BusOptions;
}

/**
 * Subgraph calls in tests may take this long (production: SUBGRAPH_TIMEOUT_MS, 5 s): on a loaded 2-core machine a
 * file's first cross-subgraph query took over 5 s, and a test is about what is answered, not how fast. The timeout
 * itself is tested with a subgraph that never answers (test/common/faults.test.ts).
 */
export const TEST_SUBGRAPH_TIMEOUT_MS = 60_000;

export async function startTestSystem(options: SystemOptions = {}): Promise<TestSystem> {
  const databaseUrl = options.databaseUrl ?? testDatabaseUrl();
  const gatewaySecret = randomBytes(32).toString('base64url');
  const issuer = await createDevIssuer();
  const apiKeys = await ApiKeyStore.open(databaseUrl, randomBytes(32).toString('base64url'));
  const running: RunningSubgraph[] = [];
  for (const definition of Object.values(subgraphs)) {
    const orm = await openSubgraphOrm(definition, databaseUrl, options.poolMax ?? 4);
    running.push(await startSubgraph(definition, orm, { gatewaySecret }));
  }
  const events: EventBus | undefined = options.events ? await startEventBus(eventNodes(running), options.events) : undefined;
  const gateway: RunningGateway = await startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: Object.fromEntries(running.map((s) => [s.name, s.url])) as Record<SubgraphName, string>,
    gatewaySecret,
    authenticator: new Authenticator({ jwt: issuer.jwt, apiKeys }),
    production: options.production,
    limits: options.limits,
    subgraphTimeoutMs: options.subgraphTimeoutMs ?? TEST_SUBGRAPH_TIMEOUT_MS,
    ...options.http,
  });
  return {
    gatewayUrl: gateway.url,
    gatewaySecret,
    issuer,
    apiKeys,
    bearer: async (claims) => ({ authorization: `Bearer ${await issuer.sign(claims)}` }),
    subgraphs: running,
    orms: Object.fromEntries(running.map((s) => [s.name, s.orm])) as Record<SubgraphName, MikroORM>,
    async query(query, variables, headers) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, ...((await res.json()) as GraphQLResponse<never>) };
    },
    async querySubgraph(name, query, variables, { viewer = SYSTEM_ADMIN, headers } = {}) {
      const body = JSON.stringify({ query, variables });
      const res = await fetch(running.find((s) => s.name === name)!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(headers ?? signViewer(viewer, gatewaySecret, { subgraph: name, body })) },
        body,
      });
      return { status: res.status, ...((await res.json()) as GraphQLResponse<never>) };
    },
    async stop() {
      await gateway.stop();
      await events?.stop();
      await apiKeys.close();
      for (const s of running) {
        await s.stop();
        await s.orm.close();
      }
    },
  };
}
