/** npm run db:migrate [-- <subgraph>…] — applies pending migrations on DATABASE_URL (or the embedded database). */
import { migrate } from '../common/db.js';
import { loadEnv } from '../common/env.js';
import { openSubgraphOrm } from '../common/server.js';
import { subgraphs } from '../subgraphs/registry.js';
import { scriptDatabase, subgraphArgs } from '../common/script-database.js';

const env = loadEnv();
const db = await scriptDatabase();
try {
  for (const name of subgraphArgs()) {
    const orm = await openSubgraphOrm(subgraphs[name], db.url, env.DB_POOL_MAX);
    try {
      const applied = await migrate(orm);
      console.log(`${name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
    } finally {
      await orm.close();
    }
  }
} finally {
  await db.embedded?.stop();
}
