import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader } from '../common/loaders.js';
import { Cra } from './entities/index.js';
import { latestCrasByConseiller } from './services/cra.service.js';

/** Per-request batch loaders of the activity subgraph. */
export function createLoaders(em: EntityManager) {
  // One loader per page size asked for, so advisors asking for the same `last` share one statement.
  const latestByLast = new Map<number, DataLoader<number, Cra[]>>();
  return {
    cra: byIdLoader(em, Cra),
    latestCras(last: number): DataLoader<number, Cra[]> {
      let loader = latestByLast.get(last);
      if (!loader) {
        loader = new DataLoader(async (ids) => {
          const groups = await latestCrasByConseiller(em, ids, last);
          return ids.map((id) => groups.get(id) ?? []);
        });
        latestByLast.set(last, loader);
      }
      return loader;
    },
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
