import { defineSubgraph } from '../../common/server.js';
import { runSubgraphMain } from '../../common/main.js';
import { Cra, entities } from './entities/index.js';
import { activityConsistency } from './consistency.js';
import { consumers } from './consumers/index.js';
import { createLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { DemoSeeder } from './seeders/demo.seeder.js';

/** Activity: activity reports (CRA), places of activity, and the statistics dashboards show. */
export const activity = defineSubgraph({
  name: 'activity',
  entities,
  migrations,
  resolvers,
  createLoaders,
  demoSeeder: DemoSeeder,
  consumers,
  consistency: activityConsistency,
  isEmpty: async (em) => (await em.count(Cra)) === 0,
});

if (import.meta.main) await runSubgraphMain(activity);
