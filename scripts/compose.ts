/**
 * npm run schema:compose — composes the four subgraphs' source SDL with @apollo/composition (no network, no
 * rover) into schema/supergraph.graphql, the file the gateway boots from. A test fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { DEFAULT_PORTS, SUBGRAPH_NAMES } from '../common/env.js';
import { loadTypeDefs, SUPERGRAPH_PATH } from '../common/type-defs.js';

/** The routing URLs baked into the file are the local defaults; the gateway maps each subgraph to its configured URL. */
export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({ name, url: `http://localhost:${DEFAULT_PORTS[name]}/graphql`, typeDefs: loadTypeDefs(name) })),
  );
  if (result.errors) {
    throw new Error(`The subgraphs do not compose:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

if (import.meta.main) {
  writeFileSync(SUPERGRAPH_PATH, composeSupergraph());
  console.log(`wrote ${SUPERGRAPH_PATH}`);
}
