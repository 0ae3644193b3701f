import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ConflictError } from '../../subgraphs/common/errors.js';
import { lockRow, writeStep } from '../../subgraphs/common/write.js';
import { Structure } from '../../subgraphs/recruitment/entities/index.js';
import { createStructure } from '../support/factories/recruitment.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

/**
 * A deadlock PostgreSQL breaks is answered CONFLICT (try again), not INTERNAL_SERVER_ERROR. It needs two backends
 * waiting for each other: PGlite runs one transaction at a time, so there the two steps would wait forever.
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
});
