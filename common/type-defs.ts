import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';
import type { SubgraphName } from './env.js';

export const SCHEMA_DIR = join(import.meta.dirname, '../schema');
/** The composed supergraph the gateway boots from (written by `npm run schema:compose`). */
export const SUPERGRAPH_PATH = join(SCHEMA_DIR, 'supergraph.graphql');

/** The SDL files a subgraph is built from: schema/common then schema/<name>, in name order. */
export function sdlFiles(name: SubgraphName): string[] {
  return ['common', name].flatMap((dir) =>
    readdirSync(join(SCHEMA_DIR, dir))
      .filter((f) => f.endsWith('.graphql'))
      .sort()
      .map((f) => join(SCHEMA_DIR, dir, f)),
  );
}

/** The subgraph's source SDL (not codegen's printed copy, which drops the federation @link header). */
export function loadTypeDefs(name: SubgraphName): DocumentNode {
  return parse(
    sdlFiles(name)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n'),
  );
}
