import { openSubgraphOrm, prepareDatabases } from '../../common/server.js';
import { subgraphs } from '../../subgraphs/registry.js';
import type { BenchState } from '../bench/operations.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startTestSystem, type SystemOptions, type TestSystem } from './system.js';

export interface DemoSystem {
  system: TestSystem;
  /** The département with the most structures, and its structures that employ advisors. */
  state: BenchState;
  stop(): Promise<void>;
}

/** The whole system on a database of its own seeded with the demo world, for tests that need realistic data. */
export async function startDemoSystem(prefix: string, options: Omit<SystemOptions, 'databaseUrl'> = {}): Promise<DemoSystem> {
  const database: TestDatabase = await createTestDatabase(prefix, { migrated: true });
  const opened = [];
  for (const definition of Object.values(subgraphs)) opened.push({ definition, orm: await openSubgraphOrm(definition, database.url, 2) });
  await prepareDatabases(opened, true);
  for (const { orm } of opened) await orm.close();
  const system = await startTestSystem({ ...options, databaseUrl: database.url });
  const recruitment = system.orms.recruitment.em.getConnection();
  const [busiest] = await recruitment.execute<{ departement_code: string }[]>(
    `select departement_code from recruitment.structure group by departement_code order by count(*) desc, departement_code limit 1`,
  );
  const departementCode = busiest!.departement_code;
  const structures = await recruitment.execute<{ id: number }[]>(
    `select s.id from recruitment.structure s where s.departement_code = ? and exists (select 1 from recruitment.conseiller c where c.structure_id = s.id) order by s.id`,
    [departementCode],
  );
  return {
    system,
    state: { departementCode, structureIds: structures.map((s) => s.id), cursor: null },
    async stop() {
      await system.stop();
      await database.drop();
    },
  };
}
