import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';

import type { Seeder } from '@mikro-orm/seeder';
import type { EntityClass, EntitySchema, MigrationObject } from '@mikro-orm/core';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { fieldAccessPlugin } from './access.js';
import { createOrm, migrate, type EntityManager, type MikroORM } from './db.js';
import type { Mismatch, OwnedFacts } from './consistency.js';
import type { SeedContext } from './demo/world.js';
import type { SubgraphName } from './env.js';
import { formatError } from './errors.js';
import { drainEvents, type EventNode } from './events/bus.js';
import { eventFigures } from './events/figures.js';
import { InboxEntry, type Consumer } from './events/inbox.js';
import { OutboxEvent } from './events/outbox.js';
import { jsonErrorHandler, MAX_BODY_BYTES, notFoundHandler, setHttpTimeouts } from './http.js';
import { createLogger } from './logger.js';
import { nulCharacterGuard } from './nul-guard.js';
import { explainUnresolvedReferences } from './references.js';
import { scalarResolvers } from './scalars.js';
import { loadTypeDefs } from './type-defs.js';
import { verifyViewer, type Viewer } from './viewer.js';

/** What every request of every subgraph carries: the verified caller, its own identity map and its own batch loaders. */
export interface SubgraphContext<Loaders> {
  em: EntityManager;
  loaders: Loaders;
  viewer: Viewer;
}

/** Everything that makes one subgraph; the four are declared the same way (see subgraphs/<name>/index.ts). */
export interface SubgraphDefinition<Loaders = unknown> {
  name: SubgraphName;
  entities: (EntityClass<object> | EntitySchema)[];
  migrations: MigrationObject[];
  /** Typed with the subgraph's generated `Resolvers`; scalars are added here. */
  resolvers: object;
  /** Loaders get the viewer so that entity look-ups apply the same row filters as root fields. */
  createLoaders(em: EntityManager, viewer: Viewer): Loaders;
  /** Demo data for `npm start`, run when the subgraph's tables are empty. */
  demoSeeder: new () => Seeder;
  /** True when the subgraph holds no data yet (decides whether to seed). */
  isEmpty(em: EntityManager): Promise<boolean>;
  /** The handlers of other subgraphs' domain events it runs (common/events/), each applied once through its inbox. */
  consumers?: readonly Consumer[];
  /**
   * Its own data checked against the facts recruitment owns (`npm run check:consistency`, common/consistency.ts):
   * what its rules promise of them, beyond the copies compared field by field.
   */
  consistency?(em: EntityManager, owned: OwnedFacts): Promise<Mismatch[]>;
}

/** The subgraph on the event bus: its ORM (its outbox and inbox) and the consumers it runs. */
export function eventNodeOf(definition: SubgraphDefinition, orm: MikroORM): EventNode {
  return { name: definition.name, orm, consumers: definition.consumers ?? [] };
}

export function defineSubgraph<Loaders>(definition: SubgraphDefinition<Loaders>): SubgraphDefinition<Loaders> {
  return definition;
}

export function buildSchema(definition: SubgraphDefinition): GraphQLSchema {
  const typeDefs = loadTypeDefs(definition.name);
  return buildSubgraphSchema([
    {
      typeDefs,
      resolvers: { ...scalarResolvers, ...explainUnresolvedReferences(definition.resolvers, typeDefs) } as GraphQLResolverMap<unknown>,
    },
  ]);
}

export async function openSubgraphOrm(
  definition: SubgraphDefinition,
  clientUrl: string,
  poolMax?: number,
  statementTimeoutMs?: number,
): Promise<MikroORM> {
  return createOrm({
    name: definition.name,
    clientUrl,
    // Every subgraph has its outbox and inbox (common/events/), in its own schema.
    entities: [...definition.entities, OutboxEvent, InboxEntry],
    migrations: definition.migrations,
    poolMax,
    statementTimeoutMs,
  });
}

/**
 * Migrates, then seeds the demo data when the subgraph is empty. A subgraph that seeds from its copies of another's
 * facts (every consumer of recruitment's events) must have received recruitment's seed events first:
 * `prepareDatabases` sees to it in one process; a subgraph in its own process waits for them (`beforeSeed`).
 */
export async function prepareDatabase(
  definition: SubgraphDefinition,
  orm: MikroORM,
  seedDemo: boolean,
  { context, beforeSeed }: { context?: SeedContext; beforeSeed?: () => Promise<void> } = {},
): Promise<{ migrations: string[]; seeded: boolean }> {
  const migrations = await migrate(orm);
  let seeded = false;
  if (seedDemo && (await definition.isEmpty(orm.em.fork()))) {
    await beforeSeed?.();
    await new definition.demoSeeder().run(orm.em.fork(), context);
    seeded = true;
  }
  return { migrations, seeded };
}

/**
 * Prepares the subgraphs of one process in composition order (recruitment first): all are migrated, then each, when
 * empty, is seeded once the events of those before it were delivered in process (`drainEvents`), so its copies hold the facts
 * it seeds from. `stamp: false` when a NATS bus relays the same outboxes afterwards, so that the streams hold
 * every event. `only`: the subgraphs to prepare (the others' ORMs are there for their events). What each did, in order.
 */
export async function prepareDatabases(
  nodes: readonly { definition: SubgraphDefinition; orm: MikroORM }[],
  seedDemo: boolean,
  { stamp = true, context, only }: { stamp?: boolean; context?: SeedContext; only?: readonly SubgraphName[] } = {},
): Promise<{ name: SubgraphName; migrations: string[]; seeded: boolean }[]> {
  const eventNodes = nodes.map(({ definition, orm }) => eventNodeOf(definition, orm));
  // All migrated first: delivering an event writes into every consumer's tables.
  const migrations = new Map<SubgraphName, string[]>();
  for (const { definition, orm } of nodes) migrations.set(definition.name, await migrate(orm));
  const prepared = [];
  for (const { definition, orm } of nodes.filter((n) => !only || only.includes(n.definition.name))) {
    const drain = () => drainEvents(eventNodes, { stamp }).then(() => undefined);
    const { seeded } = await prepareDatabase(definition, orm, seedDemo, { context, beforeSeed: drain });
    prepared.push({ name: definition.name, migrations: migrations.get(definition.name)!, seeded });
  }
  await drainEvents(eventNodes, { stamp });
  return prepared;
}

export interface RunningSubgraph {
  name: SubgraphName;
  url: string;
  orm: MikroORM;
  stop(): Promise<void>;
}

/** The request context of a subgraph: a fresh EntityManager fork and loaders bound to the verified caller. */
export function createContext<Loaders>(definition: SubgraphDefinition<Loaders>, orm: MikroORM, viewer: Viewer): SubgraphContext<Loaders> {
  const em = orm.em.fork();
  return { em, loaders: definition.createLoaders(em, viewer), viewer };
}

/**
 * Serves a subgraph over HTTP: POST /graphql, GET /health (liveness), GET /ready (database reachable) and GET /events
 * (the domain-event figures: lag per consumer, outbox backlog, parked count; figures only, so unauthenticated).
 * Only the gateway may call /graphql: a request without the caller's identity signed with the shared secret, for
 * this subgraph and this body, is refused (401; a GET has no body to sign), so a reachable subgraph — and its
 * `_entities` field — is no back door; the `@access` rules of its SDL hold for the signed viewer as they do at the
 * gateway. The ORM is owned by the caller, who closes it.
 */
export async function startSubgraph(
  definition: SubgraphDefinition,
  orm: MikroORM,
  options: { gatewaySecret: string; host?: string; port?: number },
): Promise<RunningSubgraph> {
  const log = createLogger(definition.name);
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<SubgraphContext<unknown>>({
    schema: buildSchema(definition),
    formatError,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      fieldAccessPlugin(loadTypeDefs(definition.name)),
      nulCharacterGuard(),
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    try {
      await orm.em.fork().getConnection().execute('select 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
  app.get('/events', async (req, res) => {
    const minutes = req.query.minutes === undefined ? 5 : Number(req.query.minutes);
    if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 7 * 24 * 60) {
      res.status(400).json({ status: 'bad request', reason: 'minutes: a number of minutes, at most a week' });
      return;
    }
    try {
      res.json(await eventFigures(orm.em.fork(), definition.consumers ?? [], minutes));
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
  // The bytes each body was parsed from: the gateway's signature covers them.
  const rawBodies = new WeakMap<object, Buffer>();
  app.all(
    '/graphql',
    express.json({ limit: 2 * MAX_BODY_BYTES, verify: (req, _res, raw) => void rawBodies.set(req, raw) }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const viewer = verifyViewer(req.headers, options.gatewaySecret, { subgraph: definition.name, body: rawBodies.get(req) });
        if (!viewer) {
          throw new GraphQLError('This service only answers the gateway: missing or invalid signed identity.', {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          });
        }
        return createContext(definition, orm, viewer);
      },
    }),
  );
  app.use(notFoundHandler, jsonErrorHandler(log));

  setHttpTimeouts(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}/graphql`;
  log.info('subgraph ready', { url });
  return {
    name: definition.name,
    url,
    orm,
    async stop() {
      await apollo.stop();
    },
  };
}
