/**
 * npm run db:migration:create -- <subgraph>
 * Applies the existing migrations to a scratch in-memory PGlite — never DATABASE_URL, whose other schemas would
 * leak into the diff — then diffs the entities against it, writes the new Migration<timestamp>.ts and rewrites
 * migrations/index.ts, the list the migrator runs.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSubgraphOrm } from '../common/server.js';
import { subgraphs } from '../subgraphs/registry.js';
import { startEmbeddedPostgres } from '../common/embedded-postgres.js';
import { subgraphArgs } from '../common/script-database.js';

const [name] = subgraphArgs();
if (!name || process.argv.slice(2).filter((a) => !a.startsWith('-')).length !== 1) {
  throw new Error('Usage: npm run db:migration:create -- <recruitment|conventions|training|activity>');
}
const definition = subgraphs[name];
const dir = join(import.meta.dirname, '..', 'subgraphs', name, 'migrations');
const scratch = await startEmbeddedPostgres();
const orm = await openSubgraphOrm(definition, scratch.url);
try {
  await orm.migrator.up();
  const result = await orm.migrator.create(dir);
  if (!result.fileName) {
    console.log(`${name}: entities and migrations agree, nothing to create.`);
  } else {
    const files = readdirSync(dir)
      .filter((f) => /^Migration\d+.*\.ts$/.test(f))
      .sort();
    const classes = files.map((f) => f.replace(/\.ts$/, ''));
    writeFileSync(
      join(dir, 'index.ts'),
      [
        '// Written by `npm run db:migration:create`: the migrations of this subgraph, applied in this order.',
        ...classes.map((c) => `import { ${c} } from './${c}.js';`),
        '',
        `export const migrations = [${classes.map((c) => `{ name: '${c}', class: ${c} }`).join(', ')}];`,
        '',
      ].join('\n'),
    );
    console.log(`${name}: wrote ${result.fileName}`);
  }
} finally {
  await orm.close();
  await scratch.stop();
}
