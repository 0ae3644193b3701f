/** npm run db:seed [-- <subgraph>…] — migrates, then seeds the demo data into the subgraphs that are empty. */
import { loadEnv } from '../common/env.js';
import { openSubgraphOrm, prepareDatabases } from '../common/server.js';
import { subgraphs } from '../subgraphs/registry.js';
import { scriptDatabase, subgraphArgs } from '../common/script-database.js';

const env = loadEnv();
const db = await scriptDatabase();
try {
  // Every subgraph's ORM is open, so the events of the ones seeded reach the others' copies; only those named seed.
  const opened = [];
  for (const definition of Object.values(subgraphs))
    opened.push({ definition, orm: await openSubgraphOrm(definition, db.url, env.DB_POOL_MAX) });
  try {
    const prepared = await prepareDatabases(opened, true, { only: subgraphArgs() });
    for (const { name, seeded } of prepared) console.log(`${name}: ${seeded ? 'demo data seeded' : 'already has data, left as is'}`);
  } finally {
    for (const { orm } of opened) await orm.close();
  }
} finally {
  await db.embedded?.stop();
}
