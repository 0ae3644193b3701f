import { defineSubgraph } from '../../common/server.js';
import { runSubgraphMain } from '../../common/main.js';
import { entities, Structure } from './entities/index.js';
import { createLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { DemoSeeder } from './seeders/demo.seeder.js';

/** Recruitment: structures and their applications, candidates and advisors, the mise-en-relation workflow. */
export const recruitment = defineSubgraph({
  name: 'recruitment',
  entities,
  migrations,
  resolvers,
  createLoaders,
  demoSeeder: DemoSeeder,
  isEmpty: async (em) => (await em.count(Structure)) === 0,
});

if (import.meta.main) await runSubgraphMain(recruitment);
