import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, byKeyLoader } from '../common/loaders.js';
import { Formation } from './entities/index.js';

/** Per-request batch loaders of the training subgraph. */
export function createLoaders(em: EntityManager) {
  return {
    formation: byIdLoader(em, Formation),
    formationsByConseiller: byKeyLoader(em, Formation, 'conseillerId', { startDate: 'asc', id: 'asc' }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
