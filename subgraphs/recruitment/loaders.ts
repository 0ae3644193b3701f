import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, byKeyLoader } from '../common/loaders.js';
import { Conseiller, Structure } from './entities/index.js';

/** Per-request batch loaders of the recruitment subgraph. */
export function createLoaders(em: EntityManager) {
  return {
    structure: byIdLoader(em, Structure),
    conseiller: byIdLoader(em, Conseiller),
    conseillersByStructure: byKeyLoader(em, Conseiller, 'structure', { id: 'asc' }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
