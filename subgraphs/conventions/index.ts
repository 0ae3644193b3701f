import { defineSubgraph } from '../../common/server.js';
import { runSubgraphMain } from '../../common/main.js';
import { conventionsConsistency } from './consistency.js';
import { consumers } from './consumers/index.js';
import { Convention, entities } from './entities/index.js';
import { createLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { DemoSeeder } from './seeders/demo.seeder.js';

/** Conventions: subsidy agreements with Banque des Territoires, posts' funding, payments, renewals. */
export const conventions = defineSubgraph({
  name: 'conventions',
  entities,
  migrations,
  resolvers,
  createLoaders,
  demoSeeder: DemoSeeder,
  isEmpty: async (em) => (await em.count(Convention)) === 0,
  consumers,
  consistency: conventionsConsistency,
});

if (import.meta.main) await runSubgraphMain(conventions);
