import type { EntityManager } from '@mikro-orm/postgresql';
import type { Mismatch, OwnedFacts } from '../../common/consistency.js';
import { Learner } from './entities/index.js';

/**
 * What training promises of recruitment's facts (`npm run check:consistency`): a learner entered training with an
 * employer recruitment knows, stamped where that structure is, and had a contract with it (signed, being signed,
 * or since ended; a recruitment cancelled later leaves the path, uncounted: see the README).
 */
export async function trainingConsistency(em: EntityManager, owned: OwnedFacts): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  const at = (id: number, detail: string) => mismatches.push({ owner: 'recruitment', copy: 'training', fact: 'learner', id, detail });
  const employers = new Map<number, Set<number>>();
  for (const k of owned.contracts.values()) employers.set(k.conseillerId, (employers.get(k.conseillerId) ?? new Set()).add(k.structureId));
  const cancelled = new Set(
    (
      await em.execute<{ conseiller_id: number }[]>(
        `select distinct conseiller_id from "${em.config.get('schema')}"."recruitment_contract" where start_date is null`,
      )
    ).map((r) => r.conseiller_id),
  );
  for (const learner of await em.find(Learner, {}, { orderBy: { conseillerId: 'asc' } })) {
    const structure = owned.structures.get(learner.structureId);
    if (!structure) at(learner.conseillerId, `entered training with structure ${learner.structureId}, which recruitment does not know`);
    else if (structure.departementCode !== learner.departementCode || structure.regionCode !== learner.regionCode)
      at(
        learner.conseillerId,
        `stamped ${learner.departementCode}/${learner.regionCode}, its structure is in ${structure.departementCode}/${structure.regionCode}`,
      );
    else if (!employers.get(learner.conseillerId)?.has(learner.structureId) && !cancelled.has(learner.conseillerId))
      at(learner.conseillerId, `structure ${learner.structureId} never had a contract with this advisor`);
  }
  return mismatches;
}
