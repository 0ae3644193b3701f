/**
 * npm start — the whole system in one process: PostgreSQL (DATABASE_URL, or an embedded PGlite kept under
 * .data/), migrations and demo data for each subgraph, the four subgraphs, then the gateway's migrations (API keys),
 * the gateway and its playground.
 */
import { randomBytes } from 'node:crypto';
import { loadEnv, type SubgraphName } from '../common/env.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../common/embedded-postgres.js';
import { startEventBus, type EventBus } from '../common/events/bus.js';
import { createLogger } from '../common/logger.js';
import { stopOnSignalsAndFatalErrors } from '../common/process.js';
import { openSubgraphOrm, prepareDatabases, startSubgraph, type RunningSubgraph } from '../common/server.js';
import { eventNodes, subgraphs } from '../subgraphs/registry.js';
import { createAuthenticator } from '../gateway/auth-setup.js';
import { migrateGateway } from '../gateway/migrate.js';
import { gatewayOptionsFromEnv, startGateway, type RunningGateway } from '../gateway/server.js';

const env = loadEnv();
const log = createLogger('local');
let embedded: EmbeddedPostgres | undefined;
const running: RunningSubgraph[] = [];
let gateway: RunningGateway | undefined;
let events: EventBus | undefined;
let closeAuth: (() => Promise<void>) | undefined;

// One process: an error nothing caught stops all of it, cleanly, rather than leave part of it serving.
const shutdown = stopOnSignalsAndFatalErrors(log, async () => {
  await gateway?.stop();
  await closeAuth?.();
  await events?.stop();
  for (const subgraph of running) {
    await subgraph.stop();
    await subgraph.orm.close();
  }
  await embedded?.stop();
});

// One process: the gateway and the subgraphs share a secret made for this run unless one is configured.
const gatewaySecret = env.GATEWAY_SECRET ?? randomBytes(32).toString('base64url');

try {
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: env.PGLITE_DATA_DIR });
    databaseUrl = embedded.url;
    log.info('embedded PostgreSQL (PGlite) started', { dataDir: env.PGLITE_DATA_DIR });
  }
  const opened = [];
  for (const definition of Object.values(subgraphs))
    opened.push({ definition, orm: await openSubgraphOrm(definition, databaseUrl, env.DB_POOL_MAX, env.SQL_STATEMENT_TIMEOUT_MS) });
  // Seeded in order, each from the events of those before it; a NATS bus will put the same events on its streams.
  for (const { name, migrations, seeded } of await prepareDatabases(opened, env.SEED_DEMO, { stamp: !env.NATS_URL }))
    log.info('database ready', { subgraph: name, migrations: migrations.length, seeded });
  for (const { definition, orm } of opened)
    running.push(await startSubgraph(definition, orm, { gatewaySecret, host: env.HOST, port: env.subgraphPort(definition.name) }));
  // Domain events between the subgraphs: over NATS when NATS_URL is set, delivered in this process otherwise.
  events = await startEventBus(eventNodes(running), { natsUrl: env.NATS_URL });
  log.info('domain events relayed', { transport: events.transport });
  log.info('gateway database ready', { migrations: (await migrateGateway(databaseUrl)).length });
  const auth = await createAuthenticator(env, databaseUrl);
  closeAuth = auth.close;
  gateway = await startGateway({
    authenticator: auth.authenticator,
    ...gatewayOptionsFromEnv(env),
    subgraphUrls: Object.fromEntries(running.map((s) => [s.name, s.url])) as Record<SubgraphName, string>,
    gatewaySecret,
  });
  console.log(`\n  conum-graph is up. Playground: ${gateway.url}\n  Ctrl-C stops everything.\n`);
} catch (error) {
  log.error('start failed', { message: error instanceof Error ? error.message : String(error) });
  await shutdown(1);
}
