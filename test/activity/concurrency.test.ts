import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { atOnce, copies, expectOneWinner, outcomeOf } from '../support/concurrency.js';
import { activityTotals, createCra, craInput } from '../support/factories/activity.js';
import { uniqueId } from '../support/ids.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

/**
 * Reports under concurrent edits and deletions (real PostgreSQL in CI): a report is changed by one writer at a
 * time, a deleted one cannot be edited, and the aggregates always equal the reports they sum.
 */
let activity: TestSubgraph;
beforeAll(async () => {
  activity = await openTestSubgraph('activity');
});
afterAll(async () => {
  await activity?.close();
});

const UPDATE = `mutation ($input: UpdateCraInput!) { updateCra(input: $input) { cra { id } } }`;
const DELETE = `mutation ($input: DeleteCraInput!) { deleteCra(input: $input) { id } }`;

function input(conseillerId: number, overrides: Record<string, unknown> = {}) {
  return { ...craInput({ conseillerId, ...overrides }), conseillerId: String(conseillerId) };
}

describe('reports', () => {
  test.each([1, 2, 3])(
    'edit against delete of one report (round %i): a deleted report is never edited, the aggregates stay exact',
    async () => {
      const conseillerId = uniqueId();
      const cra = await createCra(activity.orm, { conseillerId, structureId: 5, date: '2024-05-02' });
      await createCra(activity.orm, { conseillerId, structureId: 5, date: '2024-05-03' });
      const [edited, deleted] = await atOnce([
        () =>
          activity.execute(UPDATE, {
            input: { id: String(cra.id), cra: input(conseillerId, { date: '2024-06-10', participants: 3, activityType: 'COLLECTIF' }) },
          }),
        () => activity.execute(DELETE, { input: { id: String(cra.id) } }),
      ]);
      expect(outcomeOf(deleted!)).toBe('OK');
      // Either the edit went first (then the report was deleted), or it found the report gone.
      expect(['OK', 'NOT_FOUND']).toContain(outcomeOf(edited!));
      const totals = await activityTotals(activity.orm, conseillerId);
      expect(totals.month).toEqual(totals.raw);
      expect(totals.raw).toMatchObject({ reports: 1, participants: 1 });
      expect(totals.advisor).toMatchObject({ reports: 1, first: '2024-05-03', last: '2024-05-03' });
    },
  );

  test('one report deleted three times at once is deleted once', async () => {
    const conseillerId = uniqueId();
    const cra = await createCra(activity.orm, { conseillerId, structureId: 5, date: '2024-05-02' });
    await createCra(activity.orm, { conseillerId, structureId: 5, date: '2024-05-03' });
    await expectOneWinner(
      copies(3, () => activity.execute(DELETE, { input: { id: String(cra.id) } })),
      ['NOT_FOUND'],
    );
    const totals = await activityTotals(activity.orm, conseillerId);
    expect(totals.month).toEqual(totals.raw);
    expect(totals.raw).toMatchObject({ reports: 1 });
  });
});
