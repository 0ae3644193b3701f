/**
 * npm run check:consistency — for every pair of subgraphs, the facts one owns against the copy the other keeps
 * (common/consistency.ts): prints each pair's counts and mismatches, exits 1 when there is any. Works on
 * DATABASE_URL, or the embedded database of `npm start`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { compareCopies, type Mismatch } from '../common/consistency.js';
import type { MikroORM } from '../common/db.js';
import type { SubgraphName } from '../common/env.js';
import { scriptDatabase } from '../common/script-database.js';
import { openSubgraphOrm } from '../common/server.js';
import { ownedFacts } from '../subgraphs/recruitment/consistency.js';
import { subgraphs } from '../subgraphs/registry.js';

export interface ConsistencyReport {
  /** Per consuming subgraph: what was compared and what disagrees. */
  pairs: { copy: SubgraphName; structures: number; contracts: number; mismatches: Mismatch[] }[];
  mismatches: number;
}

/** Compares recruitment's facts with every other subgraph's copies and rules. */
export async function checkConsistency(orms: Record<SubgraphName, MikroORM>): Promise<ConsistencyReport> {
  const owned = await ownedFacts(orms.recruitment.em.fork() as EntityManager);
  const pairs: ConsistencyReport['pairs'] = [];
  for (const name of ['conventions', 'training', 'activity'] as const) {
    const em = orms[name].em.fork() as EntityManager;
    const mismatches = [...(await compareCopies(name, em, owned)), ...((await subgraphs[name].consistency?.(em, owned)) ?? [])];
    pairs.push({ copy: name, structures: owned.structures.size, contracts: owned.contracts.size, mismatches });
  }
  return { pairs, mismatches: pairs.reduce((sum, p) => sum + p.mismatches.length, 0) };
}

if (import.meta.main) {
  const db = await scriptDatabase();
  const orms = {} as Record<SubgraphName, MikroORM>;
  try {
    for (const definition of Object.values(subgraphs)) orms[definition.name] = await openSubgraphOrm(definition, db.url, 2);
    const report = await checkConsistency(orms);
    for (const pair of report.pairs) {
      console.log(
        `recruitment → ${pair.copy}: ${pair.structures} structures, ${pair.contracts} contracts compared, ${pair.mismatches.length} mismatch(es)`,
      );
      for (const m of pair.mismatches.slice(0, 20)) console.log(`  ${m.fact} ${m.id}: ${m.detail}`);
      if (pair.mismatches.length > 20) console.log(`  … and ${pair.mismatches.length - 20} more`);
    }
    process.exitCode = report.mismatches > 0 ? 1 : 0;
  } finally {
    for (const orm of Object.values(orms)) await orm.close();
    await db.embedded?.stop();
  }
}
