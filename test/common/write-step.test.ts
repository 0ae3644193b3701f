import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { MikroORM } from '../../common/db.js';
import { ConflictError } from '../../common/errors.js';
import { openSubgraphOrm } from '../../common/server.js';
import { lockRow, writeStep } from '../../common/write.js';
import { Structure } from '../../subgraphs/recruitment/entities/index.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { createStructure } from '../support/factories/recruitment.js';
import { openTestSubgraph, testDatabaseUrl, type TestSubgraph } from '../support/subgraph.js';

/**
 * A deadlock PostgreSQL breaks, or a lock waited for too long, is answered CONFLICT (try again), not
 * INTERNAL_SERVER_ERROR. Both need two backends: PGlite runs one transaction at a time, so there the steps would
 * wait for each other forever.
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

let recruitment: TestSubgraph;
beforeAll(async () => {
  if (process.env.DATABASE_URL) recruitment = await openTestSubgraph('recruitment');
});
afterAll(async () => {
  await recruitment?.close();
});

function signal() {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fire, fired };
}

onPostgres('writeStep', () => {
  test('two steps locking two rows in opposite orders: one is written, the other gets CONFLICT', async () => {
    const [one, two] = [await createStructure(recruitment.orm), await createStructure(recruitment.orm)];
    const [a, b] = [signal(), signal()];
    const crossed = (first: number, second: number, mine: ReturnType<typeof signal>, theirs: ReturnType<typeof signal>) =>
      writeStep(recruitment.orm.em.fork(), async (tx) => {
        const row = await lockRow(tx, Structure, first);
        mine.fire();
        await theirs.fired;
        await lockRow(tx, Structure, second);
        row.name = `${row.name} (touched)`;
        return row.id;
      });
    const outcomes = await Promise.allSettled([crossed(one.id, two.id, a, b), crossed(two.id, one.id, b, a)]);
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toBeInstanceOf(ConflictError);
    expect((failed[0]!.reason as ConflictError).extensions).toMatchObject({ code: 'CONFLICT', reason: 'CONCURRENT_WRITE' });
  });

  test('a step waiting for a row lock longer than lock_timeout (half the statement timeout) gets CONFLICT', async () => {
    // As a served subgraph's ORM is: with a statement timeout (800 ms here, so lock_timeout 400 ms).
    const served: MikroORM = await openSubgraphOrm(subgraphs.recruitment, testDatabaseUrl(), 2, 800);
    try {
      const structure = await createStructure(recruitment.orm);
      const [locked, done] = [signal(), signal()];
      const holder = writeStep(recruitment.orm.em.fork(), async (tx) => {
        await lockRow(tx, Structure, structure.id);
        locked.fire();
        await done.fired;
      });
      await locked.fired;
      const waiter = writeStep(served.em.fork(), (tx) => lockRow(tx, Structure, structure.id)).finally(done.fire);
      await expect(waiter).rejects.toMatchObject({ extensions: { code: 'CONFLICT', reason: 'CONCURRENT_WRITE' } });
      await holder;
    } finally {
      await served.close();
    }
  });
});
