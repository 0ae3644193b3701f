import type { EntityReference } from '../../common/references.js';

/** GraphQL type → what its resolvers receive as parent (see codegen.ts). */
export type {
  Convention as ConventionMapper,
  Post as PostMapper,
  EmploymentContract as EmploymentContractMapper,
  Tranche as TrancheMapper,
  CreditNote as CreditNoteMapper,
  Amendment as AmendmentMapper,
} from './entities/index.js';
export type { FundingTotals as FundingTotalsMapper } from './services/funding.service.js';
/** Owned by recruitment: only their keys travel here. */
export type StructureMapper = EntityReference<'Structure'>;
export type ConseillerMapper = EntityReference<'Conseiller'>;
export interface DepartementMapper {
  code: string;
}
export interface RegionMapper {
  code: string;
}
