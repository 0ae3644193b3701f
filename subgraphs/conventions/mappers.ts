import type { EntityReference } from '../common/references.js';

/** GraphQL type → what its resolvers receive as parent (see codegen.ts). */
export type { Convention as ConventionMapper } from './entities/index.js';
/** Owned by recruitment: only its key travels here. */
export type StructureMapper = EntityReference<'Structure'>;
