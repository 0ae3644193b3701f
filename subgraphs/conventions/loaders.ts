import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, byKeyLoader } from '../common/loaders.js';
import { Convention } from './entities/index.js';

/** Per-request batch loaders of the conventions subgraph. */
export function createLoaders(em: EntityManager) {
  return {
    convention: byIdLoader(em, Convention),
    conventionsByStructure: byKeyLoader(em, Convention, 'structureId', { startDate: 'asc', id: 'asc' }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
