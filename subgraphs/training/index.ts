import { defineSubgraph } from '../../common/server.js';
import { runSubgraphMain } from '../../common/main.js';
import { entities, TrainingBody } from './entities/index.js';
import { trainingConsistency } from './consistency.js';
import { consumers } from './consumers/index.js';
import { createLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { DemoSeeder } from './seeders/demo.seeder.js';

/** Training: initial paths, sessions, certifications, continuing modules. */
export const training = defineSubgraph({
  name: 'training',
  entities,
  migrations,
  resolvers,
  createLoaders,
  demoSeeder: DemoSeeder,
  consumers,
  consistency: trainingConsistency,
  // The demo seeds the training bodies first: none means an empty subgraph.
  isEmpty: async (em) => (await em.count(TrainingBody)) === 0,
});

if (import.meta.main) await runSubgraphMain(training);
