/** GraphQL type → what its resolvers receive as parent (see codegen.ts). */
export type { Structure as StructureMapper, Conseiller as ConseillerMapper } from './entities/index.js';
