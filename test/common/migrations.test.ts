import { describe, expect, test } from '@jest/globals';
import { SUBGRAPH_NAMES } from '../../common/env.js';
import { migrate } from '../../common/db.js';
import { openSubgraphOrm } from '../../common/server.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { ApiKeyStore } from '../../gateway/api-key-store.js';
import { migrateGateway } from '../../gateway/migrate.js';
import { createTestDatabase } from '../support/database.js';

/**
 * Each subgraph's committed migrations build its schema from an empty database (one each, so the comparison sees
 * no other subgraph's schema), and match its entities exactly.
 */

describe.each(SUBGRAPH_NAMES)('%s migrations', (name) => {
  test('apply from empty, live in their own schema, and leave no difference with the entities', async () => {
    const database = await createTestDatabase(`conum_migrations_${name}`);
    const orm = await openSubgraphOrm(subgraphs[name], database.url, 2);
    try {
      const applied = await migrate(orm);
      expect(applied.length).toBeGreaterThan(0);
      const tables = await orm.em
        .getConnection()
        .execute<{ table_name: string }[]>(`select table_name from information_schema.tables where table_schema = ? order by table_name`, [
          name,
        ]);
      const expected = orm.getMetadata().getAll();
      for (const meta of Object.values(expected).filter((m) => !m.embeddable && !m.virtual)) {
        expect(tables.map((t) => t.table_name)).toContain(meta.tableName);
      }
      // Entities changed without `npm run db:migration:create` show up here.
      expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
      // Running again applies nothing.
      expect(await migrate(orm)).toEqual([]);
    } finally {
      await orm.close();
      await database.drop();
    }
  });
});

describe('gateway migrations', () => {
  test('create the API-key tables in schema gateway; without them the key store refuses to open and says how to fix it', async () => {
    const database = await createTestDatabase('conum_migrations_gateway');
    try {
      await expect(ApiKeyStore.open(database.url, 'p'.repeat(32))).rejects.toThrow(
        /API-key tables .* are missing: run `npm run db:migrate`/,
      );
      expect(await migrateGateway(database.url)).toEqual(['Migration20261203150000']);
      const store = await ApiKeyStore.open(database.url, 'p'.repeat(32));
      try {
        const { key } = await store.create({ name: 'migrated', scopes: ['structures:read'] });
        expect(await store.authenticate(key)).toMatchObject({ kind: 'api_key' });
      } finally {
        await store.close();
      }
      // Running again applies nothing.
      expect(await migrateGateway(database.url)).toEqual([]);
    } finally {
      await database.drop();
    }
  });
});
