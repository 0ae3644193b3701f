import type { EntityReference } from '../common/references.js';

/** GraphQL type → what its resolvers receive as parent (see codegen.ts). */
export type { Cra as CraMapper } from './entities/index.js';
/** Owned by recruitment: only their keys travel here. */
export type ConseillerMapper = EntityReference<'Conseiller'>;
export type StructureMapper = EntityReference<'Structure'>;
