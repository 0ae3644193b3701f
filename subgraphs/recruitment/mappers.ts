/** GraphQL type → what its resolvers receive as parent (see codegen.ts). */
export type {
  Structure as StructureMapper,
  Conseiller as ConseillerMapper,
  ConseillerPersonalData as ConseillerPersonalDataMapper,
  MiseEnRelation as MiseEnRelationMapper,
  MiseEnRelationEvent as MiseEnRelationEventMapper,
  ContractExtension as ContractExtensionMapper,
  CoselecDecision as CoselecDecisionMapper,
  PrefectOpinion as StructurePrefectOpinionMapper,
  PostRequest as PostRequestMapper,
  PostTransfer as PostTransferMapper,
  CoordinatorRequest as CoordinatorRequestMapper,
} from './entities/index.js';
/** Départements and régions are the static INSEE geography, not database rows. */
export type { Departement as DepartementMapper, Region as RegionMapper } from '../../common/geography.js';
