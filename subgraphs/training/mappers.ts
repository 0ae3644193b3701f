import type { EntityReference } from '../common/references.js';

/** GraphQL type → what its resolvers receive as parent (see codegen.ts). */
export type { Formation as FormationMapper } from './entities/index.js';
/** Owned by recruitment: only its key travels here. */
export type ConseillerMapper = EntityReference<'Conseiller'>;
