import { createTestDatabase, migrateAll, type TestDatabase } from './database.js';

/**
 * Once per `npm test`: every subgraph migrated once into a template database, then the database every test file
 * shares copied from it (test files do not race each other on the migration table; they isolate themselves by
 * creating their own rows with unique ids). Suites that need a database of their own copy the same template
 * (`createTestDatabase(prefix, { migrated: true })`). On PGlite, without DATABASE_URL, there is no template: one
 * in-memory database is migrated here.
 */
export async function setup(): Promise<TestDatabase> {
  process.env.NODE_ENV = 'test';
  if (!process.env.DATABASE_URL) {
    const database = await createTestDatabase();
    process.env.TEST_DATABASE_URL = database.url;
    await migrateAll(database.url);
    return database;
  }
  const template = await createTestDatabase('conum_template');
  await migrateAll(template.url);
  const shared = await createTestDatabase('conum_test', { template: template.name });
  process.env.TEST_DATABASE_URL = shared.url;
  process.env.TEST_TEMPLATE_DATABASE = template.name;
  return {
    url: shared.url,
    async drop() {
      await shared.drop();
      await template.drop();
    },
  };
}
