import { loadEnv, SUBGRAPH_NAMES, type SubgraphName } from './env.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

/** The database scripts work on: DATABASE_URL, or the embedded PGlite of `npm start` (its data directory). */
export async function scriptDatabase(): Promise<{ url: string; embedded?: EmbeddedPostgres }> {
  const env = loadEnv();
  if (env.DATABASE_URL) return { url: env.DATABASE_URL };
  const embedded = await startEmbeddedPostgres({ dataDir: env.PGLITE_DATA_DIR });
  return { url: embedded.url, embedded };
}

/** Subgraph names given on the command line; all four when none is given. */
export function subgraphArgs(argv = process.argv.slice(2)): SubgraphName[] {
  const names = argv.filter((a) => !a.startsWith('-'));
  for (const n of names) {
    if (!SUBGRAPH_NAMES.includes(n as SubgraphName))
      throw new Error(`Unknown subgraph "${n}": expected one of ${SUBGRAPH_NAMES.join(', ')}.`);
  }
  return names.length ? (names as SubgraphName[]) : [...SUBGRAPH_NAMES];
}
