/**
 * npm run db:migrate [-- <subgraph|gateway>…] — applies pending migrations on DATABASE_URL (or the embedded
 * database): every subgraph's and the gateway's own (API keys) when none is named.
 */
import { migrate } from '../common/db.js';
import { loadEnv } from '../common/env.js';
import { openSubgraphOrm } from '../common/server.js';
import { subgraphs } from '../subgraphs/registry.js';
import { scriptDatabase, subgraphArgs } from '../common/script-database.js';
import { migrateGateway } from '../gateway/migrate.js';

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const named = names.filter((n) => n !== 'gateway');
const withGateway = names.length === 0 || names.includes('gateway');
const subgraphNames = names.length > 0 && named.length === 0 ? [] : subgraphArgs(named);
const report = (name: string, applied: string[]) =>
  console.log(`${name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);

const env = loadEnv();
const db = await scriptDatabase();
try {
  for (const name of subgraphNames) {
    const orm = await openSubgraphOrm(subgraphs[name], db.url, env.DB_POOL_MAX);
    try {
      report(name, await migrate(orm));
    } finally {
      await orm.close();
    }
  }
  if (withGateway) report('gateway', await migrateGateway(db.url));
} finally {
  await db.embedded?.stop();
}
