import type { EntityReference } from '../../common/references.js';
import type { CraStatistics } from './rules/statistics.js';

/** GraphQL type → what its resolvers receive as parent (see codegen.ts). */
export type {
  Cra as CraMapper,
  CraAudit as CraAuditEntryMapper,
  Place as PlaceMapper,
  PlaceConseiller as PlaceConseillerMapper,
} from './entities/index.js';
export type CraStatisticsMapper = CraStatistics;
/** Owned by recruitment: only their keys travel here. */
export type ConseillerMapper = EntityReference<'Conseiller'>;
export type StructureMapper = EntityReference<'Structure'>;
export interface DepartementMapper {
  __typename?: 'Departement';
  code: string;
}
export interface RegionMapper {
  __typename?: 'Region';
  code: string;
}
