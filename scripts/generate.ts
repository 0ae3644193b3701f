/**
 * npm run data:generate -- --scale demo|national [--reports 10000000] [--reset] [subgraph…]
 *
 * Fills the four subgraphs with one consistent data set, built from the shared world (common/demo/world.ts) so that
 * every subgraph knows the same structures and advisors:
 * - demo: the demo world (what `npm start` seeds);
 * - national: the programme's scale (docs/domain.md §6): 3,000 structures in real communes weighted by population,
 *   40,000 candidates, ~4,000 posts and contracts with ruptures and renewals, agreements and payments matching the
 *   posts, a training path for every advisor, and ~10 million activity reports (bulk-loaded, aggregates rebuilt).
 * Works on DATABASE_URL (or the embedded database of `npm start`). Run with a larger stack (see package.json): the
 * ORM cascades through a national-scale unit of work recursively. Refuses to write into subgraphs that hold data
 * unless --reset, which drops their schemas first. Prints progress and a summary of what it wrote.
 */
import { parseArgs } from 'node:util';
import { demoWorld, type WorldScale } from '../common/demo/world.js';
import { loadEnv } from '../common/env.js';
import { eventNodeOf, openSubgraphOrm } from '../common/server.js';
import { drainEvents } from '../common/events/bus.js';
import { migrate } from '../common/db.js';
import { scriptDatabase, subgraphArgs } from '../common/script-database.js';
import { generateReports } from '../subgraphs/activity/seeders/national.js';
import { subgraphs } from '../subgraphs/registry.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { scale: { type: 'string', default: 'demo' }, reports: { type: 'string' }, reset: { type: 'boolean', default: false } },
});
const scale = values.scale as WorldScale;
if (scale !== 'demo' && scale !== 'national') throw new Error('--scale must be demo or national');
process.env.LOG_LEVEL ??= 'warn';
loadEnv();

const db = await scriptDatabase();
const started = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

let lastDrawn = -1;
/** One line, rewritten in place when the percentage moves: `label [#####.....] 52 % (5,200,000 / 10,000,000)`. */
function progressBar(label: string, done: number, total: number): void {
  const ratio = Math.min(1, done / total);
  if (Math.floor(ratio * 100) === lastDrawn) return;
  lastDrawn = Math.floor(ratio * 100);
  const width = 30;
  const bar = '#'.repeat(Math.round(ratio * width)).padEnd(width, '.');
  process.stdout.write(
    `\r  ${label} [${bar}] ${String(Math.floor(ratio * 100)).padStart(3)} % (${done.toLocaleString('en')} / ${total.toLocaleString('en')})`,
  );
}

try {
  const world = demoWorld({ scale });
  console.log(
    `World (${scale}): ${world.structures.length} structures, ${world.people.length} people, ${world.people.filter((p) => p.structureId).length} hired.`,
  );

  // All four by default; naming some regenerates only those (they must still agree with the others' world). Every
  // ORM is open so that each subgraph seeds once the events of those before it reached its copies.
  const names = subgraphArgs(positionals);
  if (names.includes('recruitment') && names.length < Object.keys(subgraphs).length)
    throw new Error('Regenerating recruitment regenerates the others too: their copies follow its events (name none, or all four).');
  const opened = [];
  for (const definition of Object.values(subgraphs)) {
    const orm = await openSubgraphOrm(definition, db.url, 4);
    opened.push({ definition, orm });
    if (values.reset && names.includes(definition.name))
      await orm.em.getConnection().execute(`drop schema if exists "${definition.name}" cascade`);
    await migrate(orm);
  }
  const nodes = opened.map(({ definition, orm }) => eventNodeOf(definition, orm));
  try {
    for (const { definition, orm } of opened.filter((o) => names.includes(o.definition.name))) {
      if (!(await definition.isEmpty(orm.em.fork()))) {
        throw new Error(`${definition.name} already holds data: run again with --reset to replace it.`);
      }
      const delivered = await drainEvents(nodes);
      if (delivered > 0) console.log(`  ${delivered.toLocaleString('en')} events delivered to the copies`);
      const since = Date.now();
      if (definition.name === 'activity' && scale === 'national') {
        const reports = values.reports ? Number(values.reports) : 10_000_000;
        // Who works where comes from activity's copy of recruitment's contracts, filled by recruitment's events.
        const filed = await generateReports(db.url, {
          fromCopy: true,
          reports,
          onProgress: (done, total) => progressBar('activity reports', done, total),
        });
        process.stdout.write('\n');
        console.log(`  activity: ${filed.toLocaleString('en')} reports in ${seconds(since)}`);
        continue;
      }
      process.stdout.write(`  ${definition.name}…`);
      await new definition.demoSeeder().run(orm.em.fork(), { world });
      console.log(` done in ${seconds(since)}`);
    }
    await drainEvents(nodes);
  } finally {
    for (const { orm } of opened) await orm.close();
  }

  // The summary: rows per table, from PostgreSQL's own counts.
  const orm = await openSubgraphOrm(subgraphs.recruitment, db.url, 1);
  try {
    const rows = await orm.em.getConnection().execute<{ schema: string; table: string; rows: string }[]>(
      `select table_schema as schema, table_name as table,
              (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I.%I', table_schema, table_name), false, true, '')))[1]::text as rows
         from information_schema.tables
        where table_schema in (?) and table_type = 'BASE TABLE' and table_name <> 'mikro_orm_migrations'
        order by 1, 2`,
      [Object.keys(subgraphs)],
    );
    console.log(`\nWritten in ${seconds(started)}:`);
    for (const r of rows) console.log(`  ${`${r.schema}.${r.table}`.padEnd(48)} ${Number(r.rows).toLocaleString('en').padStart(12)}`);
  } finally {
    await orm.close();
  }
} finally {
  await db.embedded?.stop();
}
