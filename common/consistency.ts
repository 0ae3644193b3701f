import { isDeepStrictEqual } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContractState, StructureState } from './events/catalogue.js';
import { contractStateOfCopy, RecruitmentContract, RecruitmentStructure, structureStateOfCopy } from './events/copies.js';
import type { SubgraphName } from './env.js';

/**
 * `npm run check:consistency` (scripts/check-consistency.ts): for every pair of subgraphs, the facts one owns
 * against the copy the other keeps and the rules the other applies to them. Recruitment owns structures and
 * contracts (`OwnedFacts`); conventions, training and activity each keep copies (events/copies.ts), compared here
 * field by field, and check their own data against the owner's facts (`SubgraphDefinition.consistency`).
 */

export interface OwnedFacts {
  structures: Map<number, StructureState>;
  /** Mises en relation with contract terms. */
  contracts: Map<number, ContractState>;
}

/** One disagreement: between which subgraphs, about what, and how they differ. */
export interface Mismatch {
  owner: SubgraphName;
  copy: SubgraphName;
  fact: string;
  id: number | string;
  detail: string;
}

/** The fields that differ between two states, `field: owner → copy`. */
function differences(owner: object, copy: object): string {
  return Object.keys(owner)
    .filter((k) => !isDeepStrictEqual((owner as Record<string, unknown>)[k], (copy as Record<string, unknown>)[k]))
    .map((k) => `${k}: ${JSON.stringify((owner as Record<string, unknown>)[k])} → ${JSON.stringify((copy as Record<string, unknown>)[k])}`)
    .join(', ');
}

/**
 * A subgraph's copies against recruitment's facts: every structure and every contract present on both sides with
 * the same state. A copied contract with no terms left (a cancelled recruitment) agrees with an owner that has none.
 */
export async function compareCopies(subgraph: SubgraphName, em: EntityManager, owned: OwnedFacts): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  const at = (fact: string, id: number, detail: string) => mismatches.push({ owner: 'recruitment', copy: subgraph, fact, id, detail });
  const structures = new Map((await em.find(RecruitmentStructure, {})).map((row) => [row.structureId, structureStateOfCopy(row)]));
  for (const [id, state] of owned.structures) {
    const copy = structures.get(id);
    if (!copy) at('structure', id, 'missing from the copy');
    else if (!isDeepStrictEqual(state, copy)) at('structure', id, differences(state, copy));
  }
  for (const id of structures.keys()) if (!owned.structures.has(id)) at('structure', id, 'copied, but recruitment has no such structure');
  const contracts = new Map((await em.find(RecruitmentContract, {})).map((row) => [row.miseEnRelationId, contractStateOfCopy(row)]));
  for (const [id, state] of owned.contracts) {
    const copy = contracts.get(id);
    if (!copy) at('contract', id, 'missing from the copy');
    else if (!isDeepStrictEqual(state, copy)) at('contract', id, differences(state, copy));
  }
  for (const [id, copy] of contracts)
    if (!owned.contracts.has(id) && copy.contract) at('contract', id, 'copied with terms, but recruitment has no contract there');
  return mismatches;
}
