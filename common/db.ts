import { MikroORM, defineConfig, type EntityManager } from '@mikro-orm/postgresql';
import {
  DefaultLogger,
  type LoggerOptions,
  type LogContext,
  type EntityClass,
  type EntitySchema,
  type MigrationObject,
} from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager } from '@mikro-orm/seeder';
import type pg from 'pg';
import type { SubgraphName } from './env.js';
import { createLogger } from './logger.js';
import { handlePoolErrors } from './pg-errors.js';

/**
 * Counts every SQL statement its ORM sends. Statement counts are how tests prove there is no N+1, and how
 * the benchmark reports SQL per operation.
 */
export class CountingLogger extends DefaultLogger {
  statements = 0;
  recorded: string[] | null = null;

  override logQuery(context: { query: string } & LogContext): void {
    this.statements++;
    this.recorded?.push(context.query);
    super.logQuery(context);
  }
}

export interface OrmOptions {
  /** The subgraph, or the gateway (its API keys): also the PostgreSQL schema its tables live in. */
  name: SubgraphName | 'gateway';
  clientUrl: string;
  entities: (EntityClass<object> | EntitySchema)[];
  migrations: MigrationObject[];
  poolMax?: number;
  /**
   * Server-side cap on each SQL statement (PostgreSQL `statement_timeout`; row-lock waits get half of it,
   * `lock_timeout`); unset for scripts and migrations.
   */
  statementTimeoutMs?: number;
  debug?: boolean;
}

const ormLog = createLogger('orm');

/** The one way to build a subgraph's ORM, for the app, the scripts and the tests alike. */
export function ormConfig(options: OrmOptions) {
  return defineConfig({
    clientUrl: options.clientUrl,
    schema: options.name,
    // Each ORM its own transaction context: a subgraph's transaction opened inside another's (the in-process event
    // relay delivers inside the producer's) must not pick up the other's EntityManager.
    contextName: options.name,
    entities: options.entities,
    // The gateway has tables and no entities (its store speaks SQL); a subgraph without entities is a mistake.
    discovery: { warnWhenNoEntities: options.name !== 'gateway' },
    extensions: [Migrator, SeedManager],
    migrations: {
      // Explicit list (migrations/index.ts) rather than a folder glob: loads the same under tsx, jest and node.
      migrationsList: options.migrations,
      tableName: 'mikro_orm_migrations',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
    },
    pool: { min: 0, max: options.poolMax ?? 10 },
    driverOptions: {
      // A wait for a row lock gives up before the statement would (55P03, which a write step answers CONFLICT).
      ...(options.statementTimeoutMs
        ? { statement_timeout: options.statementTimeoutMs, lock_timeout: Math.ceil(options.statementTimeoutMs / 2) }
        : {}),
      // MikroORM listens for dropped connections too, but reports them only in debug mode.
      onPoolCreated: (pool: pg.Pool) => handlePoolErrors(pool, ormLog),
    },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: options.debug ?? false,
    // ORM messages (migrations applied…) go through our logger, so LOG_LEVEL silences them in tests.
    loggerFactory: (loggerOptions: LoggerOptions) => new CountingLogger({ ...loggerOptions, writer: ormLog.info }),
  });
}

export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init(ormConfig(options));
}

export function statementCounter(orm: MikroORM): CountingLogger {
  return orm.config.getLogger() as CountingLogger;
}

/** Applies pending migrations of the subgraph's schema; returns the names applied. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

export type { EntityManager, MikroORM };
