import { createOrm, migrate } from '../common/db.js';
import { migrations } from './migrations/index.js';

/**
 * Applies the pending migrations of the gateway's own tables (API keys, PostgreSQL schema `gateway`) with the
 * subgraphs' migrator: run by `npm run db:migrate`, `npm start` and the test setup, never by the gateway at start
 * (which refuses to start without them). Returns the names applied.
 */
export async function migrateGateway(databaseUrl: string): Promise<string[]> {
  // The store reads its tables in SQL: migrations, and no entities.
  const orm = await createOrm({ name: 'gateway', clientUrl: databaseUrl, entities: [], migrations, poolMax: 1 });
  try {
    return await migrate(orm);
  } finally {
    await orm.close();
  }
}
