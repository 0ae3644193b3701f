import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { migrate } from '../../common/db.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../common/embedded-postgres.js';
import { SUBGRAPH_NAMES } from '../../common/env.js';
import { openSubgraphOrm } from '../../common/server.js';
import { migrateGateway } from '../../gateway/migrate.js';
import { subgraphs } from '../../subgraphs/registry.js';

/**
 * Test databases. With DATABASE_URL (CI: the machine's PostgreSQL) each run works in throwaway databases created on
 * that server and dropped afterwards; without it, in an in-memory PGlite.
 */
export interface TestDatabase {
  name?: string;
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A new database. `migrated: true` copies the run's migrated template (made once by global-setup, see run-setup.ts)
 * instead of starting empty: PostgreSQL copies its files, so a suite that needs a database of its own skips replaying
 * every migration (on PGlite, which has no templates, the new database is migrated instead).
 */
export async function createTestDatabase(
  prefix = 'conum_test',
  options: { migrated?: boolean; template?: string } = {},
): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded: EmbeddedPostgres = await startEmbeddedPostgres();
    // No template to copy on PGlite: a migrated database is migrated here.
    if (options.migrated) await migrateAll(embedded.url);
    return { url: embedded.url, drop: () => embedded.stop() };
  }
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const template = options.template ?? (options.migrated ? process.env.TEST_TEMPLATE_DATABASE : undefined);
  await onServer(serverUrl, template ? `create database "${name}" template "${template}"` : `create database "${name}"`);
  // A throwaway database need not wait for the disk at each commit: the suites commit thousands of small
  // transactions, and a crash loses only data that is dropped anyway.
  await onServer(serverUrl, `alter database "${name}" set synchronous_commit = off`);
  return {
    name,
    url: withDatabase(serverUrl, name),
    drop: () => onServer(serverUrl, `drop database if exists "${name}" with (force)`),
  };
}

/** Every subgraph's migrations and the gateway's own tables, on the database at `url`. */
export async function migrateAll(url: string): Promise<void> {
  for (const name of SUBGRAPH_NAMES) {
    const orm = await openSubgraphOrm(subgraphs[name], url, 2);
    await migrate(orm);
    await orm.close();
  }
  await migrateGateway(url);
}
