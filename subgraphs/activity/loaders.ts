import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, byKeyLoader } from '../../common/loaders.js';
import type { Viewer } from '../../common/viewer.js';
import { Cra, Place, type CraActivityType } from './entities/index.js';
import { visiblePlaces, visibleReports } from './services/access.js';
import { advisorActivities } from './services/activity-groups.js';
import { auditTrails, latestCras } from './services/cra.service.js';
import { placeConseillers, placesOfConseillers } from './services/place.service.js';
import type { CraStatistics } from './rules/statistics.js';
import { craStatistics, type StatisticsScope } from './services/statistics.js';

/**
 * Per-request batch loaders of the activity subgraph. Every one applies the viewer's row filter in its statement
 * (services/access.ts), so a nested field or an `_entities` look-up shows exactly what the root fields show.
 */
export function createLoaders(em: EntityManager, viewer: Viewer) {
  // One loader per distinct argument set, so a list of entities asking the same thing shares one statement.
  const memo = new Map<string, DataLoader<never, unknown>>();
  const keyed = <K, V>(key: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> => {
    let loader = memo.get(key) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader(batch);
      memo.set(key, loader as unknown as DataLoader<never, unknown>);
    }
    return loader;
  };
  const fromMap =
    <K, V>(load: (keys: readonly K[]) => Promise<Map<K, V>>) =>
    async (keys: readonly K[]) => {
      const map = await load(keys);
      return keys.map((k) => map.get(k)!);
    };
  return {
    cra: byIdLoader(em, Cra, visibleReports<Cra>(viewer)),
    place: byIdLoader(em, Place, visiblePlaces(em, viewer)),
    placesOfStructure: byKeyLoader(em, Place, 'structureId', { id: 'asc' }, visiblePlaces(em, viewer)),
    placeConseillers: keyed(
      'placeConseillers',
      fromMap((ids: readonly number[]) => placeConseillers(em, ids)),
    ),
    placesOfConseiller: keyed(
      'placesOfConseiller',
      fromMap((ids: readonly number[]) => placesOfConseillers(em, viewer, ids)),
    ),
    history: keyed(
      'history',
      fromMap((ids: readonly number[]) => auditTrails(em, viewer, ids)),
    ),
    advisorActivity: keyed('advisorActivity', (ids: readonly number[]) => advisorActivities(em, viewer, ids)),
    /** The latest reports of advisors or structures, per page size asked for. */
    latestCras(by: 'conseiller_id' | 'structure_id', last: number): DataLoader<number, Cra[]> {
      return keyed(
        `latest:${by}:${last}`,
        fromMap((keys: readonly number[]) => latestCras(em, viewer, { by, keys, last })),
      );
    },
    /** Statistics of many advisors, structures or territories over one period, in one statement. */
    statistics(by: StatisticsScope, from: string, to: string, activityType?: CraActivityType | null): DataLoader<string, CraStatistics> {
      return keyed(`stats:${by}:${from}:${to}:${activityType ?? ''}`, async (keys: readonly string[]) => {
        const result = await craStatistics(em, viewer, {
          filter: { from, to, activityType },
          scope: { by, keys: by.endsWith('_id') ? keys.map(Number) : keys },
        });
        return keys.map((k) => result.get(k)!);
      });
    },
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
