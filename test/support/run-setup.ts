import { SUBGRAPH_NAMES } from '../../subgraphs/common/env.js';
import { migrate } from '../../subgraphs/common/db.js';
import { openSubgraphOrm } from '../../subgraphs/common/server.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { ApiKeyStore } from '../../gateway/api-keys.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/**
 * Once per `npm test`: one throwaway database (or in-memory PGlite) that every test file shares, migrated here so
 * test files do not race each other on the migration table. Tests isolate themselves by creating their own rows
 * with unique ids.
 */
export async function setup(): Promise<TestDatabase> {
  process.env.NODE_ENV = 'test';
  const database = await createTestDatabase();
  process.env.TEST_DATABASE_URL = database.url;
  for (const name of SUBGRAPH_NAMES) {
    const orm = await openSubgraphOrm(subgraphs[name], database.url, 2);
    await migrate(orm);
    await orm.close();
  }
  // The gateway's own tables (API keys).
  await (await ApiKeyStore.open(database.url, 'x'.repeat(32))).close();
  return database;
}
