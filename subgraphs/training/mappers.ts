import type { EntityReference } from '../../common/references.js';

/** GraphQL type → what its resolvers receive as parent (see codegen.ts). */
export type {
  Absence as AbsenceMapper,
  CertificationAttempt as CertificationAttemptMapper,
  ContractLot as ContractLotMapper,
  TrainingPath as TrainingPathMapper,
  ModuleRegistration as ModuleRegistrationMapper,
  ThematicModule as ThematicModuleMapper,
  TrainingBody as TrainingBodyMapper,
  TrainingSession as TrainingSessionMapper,
} from './entities/index.js';
/** An exemption is stored on the advisor's learner record. */
export type { Learner as ExemptionMapper } from './entities/index.js';
export type { TrainingSummary as TrainingSummaryMapper } from './rules/advisor-state.js';
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
