import { migrate, type MikroORM } from './db.js';
import { loadEnv } from './env.js';
import { RecruitmentStructure } from './events/copies.js';
import { startEventBus, type EventBus } from './events/bus.js';
import { createLogger } from './logger.js';
import { stopOnSignalsAndFatalErrors } from './process.js';
import { eventNodeOf, openSubgraphOrm, prepareDatabase, startSubgraph, type SubgraphDefinition } from './server.js';

/**
 * Entry point when one subgraph runs as its own process (docker-compose): migrate, seed when empty, serve,
 * and stop cleanly on SIGINT/SIGTERM or a fatal error. `npm start` runs all four in one process instead (scripts/local.ts).
 */
export async function runSubgraphMain(definition: SubgraphDefinition): Promise<void> {
  const env = loadEnv(process.env, {
    DATABASE_URL: 'to run a subgraph on its own (npm start embeds PostgreSQL)',
    GATEWAY_SECRET: 'to run a subgraph on its own: the gateway signs requests with it',
  });
  const log = createLogger(definition.name);
  const orm = await openSubgraphOrm(definition, env.DATABASE_URL, env.DB_POOL_MAX, env.SQL_STATEMENT_TIMEOUT_MS);
  const migrations = await migrate(orm);
  // Its own process reaches the others' consumers only through NATS: without it, its events wait in its outbox.
  let events: EventBus | undefined;
  if (env.NATS_URL) {
    events = await startEventBus([eventNodeOf(definition, orm)], { natsUrl: env.NATS_URL });
  } else {
    log.warn('NATS_URL unset: domain events stay in the outbox until a relay runs');
  }
  // A subgraph that seeds from its copies of recruitment's facts waits for recruitment's seed events.
  const beforeSeed = events && definition.consumers?.length ? () => waitForCopies(orm, log) : undefined;
  const { seeded } = await prepareDatabase(definition, orm, env.SEED_DEMO, { beforeSeed });
  log.info('database ready', { migrations: migrations.length, seeded });
  const running = await startSubgraph(definition, orm, {
    gatewaySecret: env.GATEWAY_SECRET,
    host: env.HOST,
    port: env.subgraphPort(definition.name),
  });
  stopOnSignalsAndFatalErrors(log, async () => {
    await running.stop();
    await events?.stop();
    await orm.close();
  });
}

/** Waits (up to two minutes) until recruitment's structures reached this subgraph's copy, checking every second. */
async function waitForCopies(orm: MikroORM, log: ReturnType<typeof createLogger>): Promise<void> {
  for (let waited = 0; waited < 120; waited++) {
    if ((await orm.em.fork().count(RecruitmentStructure)) > 0) return;
    if (waited % 10 === 0) log.info("waiting for recruitment's events before seeding");
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  log.warn("no recruitment event arrived in two minutes: seeding without recruitment's facts");
}
