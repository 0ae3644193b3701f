/** npm run db:seed [-- <subgraph>…] — migrates, then seeds the demo data into the subgraphs that are empty. */
import { loadEnv } from '../common/env.js';
import { openSubgraphOrm, prepareDatabase } from '../common/server.js';
import { subgraphs } from '../subgraphs/registry.js';
import { scriptDatabase, subgraphArgs } from '../common/script-database.js';

const env = loadEnv();
const db = await scriptDatabase();
try {
  for (const name of subgraphArgs()) {
    const orm = await openSubgraphOrm(subgraphs[name], db.url, env.DB_POOL_MAX);
    try {
      const { seeded } = await prepareDatabase(subgraphs[name], orm, true);
      console.log(`${name}: ${seeded ? 'demo data seeded' : 'already has data, left as is'}`);
    } finally {
      await orm.close();
    }
  }
} finally {
  await db.embedded?.stop();
}
