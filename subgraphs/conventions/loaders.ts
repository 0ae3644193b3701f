import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, byKeyLoader } from '../../common/loaders.js';
import { Amendment, Convention, CreditNote, EmploymentContract, Post, Tranche } from './entities/index.js';
import { today } from '../../common/calendar.js';
import type { Viewer } from '../../common/viewer.js';
import { visibleRows } from './services/access.js';
import { fundingTotals, type FundingGroup, type FundingTotals } from './services/funding.service.js';
import { stateOfTranche } from './rules/ledger.js';
import type { TrancheState } from './rules/tranche.js';

function fundingLoader<K extends string | number>(em: EntityManager, viewer: Viewer, group: FundingGroup): DataLoader<K, FundingTotals> {
  return new DataLoader(async (keys) => {
    const totals = await fundingTotals(em, viewer, { group, keys });
    return keys.map((k) => totals.get(k)!);
  });
}

/**
 * Per-request batch loaders of the conventions subgraph: every nested list resolves in one statement per level.
 * Each applies the viewer's row filter in its SQL, so a nested field or an `_entities` look-up shows exactly the
 * rows the root fields show.
 */
export function createLoaders(em: EntityManager, viewer: Viewer) {
  const conventions = visibleRows<Convention>(em, viewer, 'convention');
  const posts = visibleRows<Post>(em, viewer, 'child');
  const contracts = visibleRows<EmploymentContract>(em, viewer, 'contract');
  const base = {
    convention: byIdLoader(em, Convention, conventions),
    post: byIdLoader(em, Post, posts),
    conventionsByStructure: byKeyLoader(em, Convention, 'structureId', { startDate: 'asc', id: 'asc' }, conventions),
    postsByStructure: byKeyLoader(em, Post, 'structureId', { id: 'asc' }, posts),
    postsByConvention: byKeyLoader(em, Post, 'convention', { id: 'asc' }, posts),
    tranchesByConvention: byKeyLoader(em, Tranche, 'convention', { rank: 'asc' }, visibleRows<Tranche>(em, viewer, 'child')),
    creditNotesByConvention: byKeyLoader(em, CreditNote, 'convention', { id: 'asc' }, visibleRows<CreditNote>(em, viewer, 'child')),
    amendmentsByConvention: byKeyLoader(em, Amendment, 'convention', { id: 'asc' }, visibleRows<Amendment>(em, viewer, 'child')),
    contractsByPost: byKeyLoader(em, EmploymentContract, 'post', { startDate: 'asc', id: 'asc' }, contracts),
    postsByConseiller: byKeyLoader(em, Post, 'conseillerId', { id: 'asc' }, posts),
    contractsByConseiller: byKeyLoader(em, EmploymentContract, 'conseillerId', { startDate: 'asc', id: 'asc' }, contracts),
    fundingByStructure: fundingLoader<number>(em, viewer, 'structure'),
    fundingByDepartement: fundingLoader<string>(em, viewer, 'departement'),
    fundingByRegion: fundingLoader<string>(em, viewer, 'region'),
  };
  return {
    ...base,
    /** A tranche's status today, from its agreement's posts and their contracts (all loaded in batches). */
    trancheState: new DataLoader<Tranche, TrancheState, number>(
      (tranches) =>
        Promise.all(
          tranches.map(async (tranche) => {
            const conventionId = tranche.convention.id;
            const [convention, siblings, posts] = await Promise.all([
              base.convention.load(conventionId),
              base.tranchesByConvention.load(conventionId),
              base.postsByConvention.load(conventionId),
            ]);
            const contracts = (await base.contractsByPost.loadMany(posts.map((p) => p.id))).flatMap((c) => (c instanceof Error ? [] : c));
            return stateOfTranche(convention!, tranche, siblings, posts, contracts, today());
          }),
        ),
      { cacheKeyFn: (tranche) => tranche.id },
    ),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
