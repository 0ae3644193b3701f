import type { EntityManager } from '@mikro-orm/postgresql';
import { employmentPeriod, type ContractState } from '../../common/events/catalogue.js';
import type { Mismatch, OwnedFacts } from '../../common/consistency.js';
import { today } from '../../common/calendar.js';
import { Convention, EmploymentContract, Post } from './entities/index.js';
import { inPost } from './rules/contracts.js';
import { SIGNED_STATUSES } from './rules/status.js';

/**
 * What conventions promises of recruitment's facts (`npm run check:consistency`): an agreement is located where its
 * structure is, never funds more posts than the structure was granted, a post is occupied only by an advisor
 * recruitment has in post there, and a contract received is one of recruitment's, with its dates.
 */
export async function conventionsConsistency(em: EntityManager, owned: OwnedFacts): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  const at = (fact: string, id: number, detail: string) => mismatches.push({ owner: 'recruitment', copy: 'conventions', fact, id, detail });
  const conventions = await em.find(Convention, {}, { orderBy: { id: 'asc' } });
  for (const c of conventions) {
    const structure = owned.structures.get(c.structureId);
    if (!structure) at('convention', c.id, `structure ${c.structureId} does not exist`);
    else if (structure.departementCode !== c.departementCode || structure.regionCode !== c.regionCode)
      at(
        'convention',
        c.id,
        `located in ${c.departementCode}/${c.regionCode}, its structure in ${structure.departementCode}/${structure.regionCode}`,
      );
  }
  // Posts funded today: by the signed agreements running today, given back or superseded by a renewal excluded.
  const on = today();
  const funded = await em.find(Post, {
    state: { $ne: 'RENDU' },
    renewed: false,
    convention: { status: { $in: [...SIGNED_STATUSES] }, terminatedOn: null, startDate: { $lte: on }, endDate: { $gte: on } },
  });
  const fundedBy = new Map<number, number>();
  for (const post of funded) fundedBy.set(post.structureId, (fundedBy.get(post.structureId) ?? 0) + 1);
  for (const [structureId, posts] of fundedBy) {
    const granted = owned.structures.get(structureId);
    const quota = (granted?.advisorPosts ?? 0) + (granted?.coordinatorPosts ?? 0);
    if (posts > quota) at('posts', structureId, `${posts} posts funded today, ${quota} granted`);
  }
  const byAdvisor = new Map<number, ContractState[]>();
  for (const k of owned.contracts.values()) byAdvisor.set(k.conseillerId, [...(byAdvisor.get(k.conseillerId) ?? []), k]);
  const contractsOf = (conseillerId: number, structureId: number) =>
    (byAdvisor.get(conseillerId) ?? []).filter((k) => k.structureId === structureId);
  // In post as recruitment says (rules/contracts.ts `inPost`): a contract past its planned end holds its post until
  // recruitment ends it.
  const employs = (conseillerId: number, structureId: number) =>
    contractsOf(conseillerId, structureId).some((k) => inPost({ status: k.status, employedFrom: employmentPeriod(k)?.start ?? null }));
  const occupied = await em.find(Post, { state: 'OCCUPE', renewed: false, convention: { terminatedOn: null } }, { orderBy: { id: 'asc' } });
  for (const post of occupied)
    if (!employs(post.conseillerId!, post.structureId))
      at('post', post.id, `occupied by advisor ${post.conseillerId}, whom recruitment has in post nowhere there`);
  const received = await em.find(EmploymentContract, {}, { populate: ['post'], orderBy: { id: 'asc' } });
  for (const contract of received) {
    const owner = contractsOf(contract.conseillerId, contract.post.structureId).find((k) => k.contract?.startDate === contract.startDate);
    if (!owner) at('employment contract', contract.id, `advisor ${contract.conseillerId} has no such contract in recruitment`);
    else if (
      owner.contract!.endDate !== (contract.endDate ?? null) ||
      (owner.status === 'FINALISEE_RUPTURE' && owner.ruptureDate !== contract.endedEarlyOn)
    )
      at(
        'employment contract',
        contract.id,
        `ends ${contract.endDate}/${contract.endedEarlyOn}, recruitment says ${owner.contract!.endDate}/${owner.ruptureDate}`,
      );
  }
  return mismatches;
}
