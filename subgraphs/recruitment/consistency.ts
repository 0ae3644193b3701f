import type { EntityManager } from '@mikro-orm/postgresql';
import type { OwnedFacts } from '../../common/consistency.js';
import { MiseEnRelation, Structure } from './entities/index.js';
import type { Phase } from './entities/vocabulary.js';
import { contractStateOf, structureState } from './services/events.js';

/**
 * What recruitment owns and the others copy, read in bulk for `npm run check:consistency`: every structure's state
 * and every contract's (a mise en relation with contract terms; a cancelled one has none left), as its events
 * carry them (services/events.ts). Five statements whatever the size.
 */
export async function ownedFacts(em: EntityManager): Promise<OwnedFacts> {
  const schema = em.config.get('schema') as string;
  const coordinators = await em.execute<{ structure_id: number; posts: number }[]>(
    `select structure_id, count(*)::int as posts from "${schema}"."coordinator_request" where status = 'VALIDEE' and not is_given_back group by structure_id`,
  );
  const phases = await em.execute<{ structure_id: number; phase: Phase }[]>(
    `select distinct on (structure_id) structure_id, phase from "${schema}"."coselec_decision" order by structure_id, id desc`,
  );
  const coordinatorPosts = new Map(coordinators.map((r) => [r.structure_id, r.posts]));
  const phase = new Map(phases.map((r) => [r.structure_id, r.phase]));
  const structures = await em.find(Structure, {}, { orderBy: { id: 'asc' } });
  const contracts = await em.find(MiseEnRelation, { contractStartDate: { $ne: null } }, { orderBy: { id: 'asc' } });
  return {
    structures: new Map(structures.map((s) => [s.id, structureState(s, coordinatorPosts.get(s.id) ?? 0, phase.get(s.id) ?? 'PHASE_1')])),
    contracts: new Map(contracts.map((m) => [m.id, contractStateOf(m)])),
  };
}
