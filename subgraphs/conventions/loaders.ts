import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, byKeyLoader } from '../common/loaders.js';
import { Amendment, Convention, CreditNote, EmploymentContract, Post, Tranche } from './entities/index.js';
import { today } from './services/dates.js';
import { fundingTotals, type FundingGroup, type FundingTotals } from './services/funding.service.js';
import { stateOfTranche } from './services/ledger.service.js';
import type { TrancheState } from './services/tranche.rules.js';

function fundingLoader<K extends string | number>(em: EntityManager, group: FundingGroup): DataLoader<K, FundingTotals> {
  return new DataLoader(async (keys) => {
    const totals = await fundingTotals(em, group, keys);
    return keys.map((k) => totals.get(k)!);
  });
}

/** Per-request batch loaders of the conventions subgraph: every nested list resolves in one statement per level. */
export function createLoaders(em: EntityManager) {
  const base = {
    convention: byIdLoader(em, Convention),
    post: byIdLoader(em, Post),
    conventionsByStructure: byKeyLoader(em, Convention, 'structureId', { startDate: 'asc', id: 'asc' }),
    postsByStructure: byKeyLoader(em, Post, 'structureId', { id: 'asc' }),
    postsByConvention: byKeyLoader(em, Post, 'convention', { id: 'asc' }),
    tranchesByConvention: byKeyLoader(em, Tranche, 'convention', { rank: 'asc' }),
    creditNotesByConvention: byKeyLoader(em, CreditNote, 'convention', { id: 'asc' }),
    amendmentsByConvention: byKeyLoader(em, Amendment, 'convention', { id: 'asc' }),
    contractsByPost: byKeyLoader(em, EmploymentContract, 'post', { startDate: 'asc', id: 'asc' }),
    postsByConseiller: byKeyLoader(em, Post, 'conseillerId', { id: 'asc' }),
    contractsByConseiller: byKeyLoader(em, EmploymentContract, 'conseillerId', { startDate: 'asc', id: 'asc' }),
    fundingByStructure: fundingLoader<number>(em, 'structure'),
    fundingByDepartement: fundingLoader<string>(em, 'departement'),
    fundingByRegion: fundingLoader<string>(em, 'region'),
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
