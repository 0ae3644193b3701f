import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { contractEnded, contractRenewed, contractSigned, ruptureValidated } from '../../common/events/catalogue.js';
import { activityTotals, craInput, employ } from '../support/factories/activity.js';
import { contractState, feed } from '../support/events.js';
import { uniqueId } from '../support/ids.js';
import { countStatements } from '../support/sql-counter.js';
import { failsWith, succeeds, type Data } from '../support/graphql.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

/**
 * A report goes to the structure employing its advisor on its date, as activity's copy of recruitment's contracts
 * says (fed here as recruitment would publish it); a date outside every employment is refused.
 */
let activity: TestSubgraph;
beforeAll(async () => {
  activity = await openTestSubgraph('activity');
});
afterAll(async () => {
  await activity?.close();
});

const FILE = `mutation ($input: FileCrasInput!) { fileCras(input: $input) { cras { id date structure { id } } } }`;
const FILE_ONE = `mutation ($input: CraInput!) { fileCra(input: $input) { cra { id date structure { id } } } }`;
const UPDATE = `mutation ($input: UpdateCraInput!) { updateCra(input: $input) { cra { id date structure { id } } } }`;

const report = (conseillerId: number, date: string) => ({ ...craInput({ conseillerId, date }), conseillerId: String(conseillerId) });
const file = (conseillerId: number, dates: string[]) =>
  activity.execute(FILE, { input: { cras: dates.map((date) => report(conseillerId, date)) } });
const structuresOf = (data: Data) => data.fileCras.cras.map((c: Data) => c.structure.id);

/** A CDD of `conseillerId` at `structureId` over 2024, validated; its id. */
async function cdd2024(conseillerId: number, structureId: number): Promise<number> {
  const id = uniqueId();
  await feed(activity.orm, 'activity', contractSigned, id, contractState({ miseEnRelationId: id, conseillerId, structureId }));
  return id;
}

async function expectNothingFiled(conseillerId: number): Promise<void> {
  expect(await activityTotals(activity.orm, conseillerId)).toEqual({
    month: { reports: 0, participants: 0, minutes: 0 },
    raw: { reports: 0, participants: 0, minutes: 0 },
    advisor: null,
  });
}

describe('the structure of a report is derived from the advisor contracts', () => {
  test('a report cannot name its structure: the input has no such field', async () => {
    const conseillerId = uniqueId();
    const structureId = uniqueId();
    await cdd2024(conseillerId, structureId);
    const typed = { ...report(conseillerId, '2024-03-01'), structureId: String(uniqueId()) };
    const error = await failsWith('BAD_USER_INPUT', activity.execute(FILE_ONE, { input: typed }));
    expect(error.message).toContain('"structureId" is not defined by type "CraInput"');
    await expectNothingFiled(conseillerId);
    // Without it, the report goes to the employer.
    const filed = await succeeds(activity.execute(FILE_ONE, { input: report(conseillerId, '2024-03-01') }));
    expect(filed.fileCra.cra.structure).toEqual({ id: String(structureId) });
  });

  test('dated before the contract starts: refused on its date, nothing filed', async () => {
    const conseillerId = uniqueId();
    const structureId = uniqueId();
    await cdd2024(conseillerId, structureId);
    const error = await failsWith('BAD_USER_INPUT', activity.execute(FILE_ONE, { input: report(conseillerId, '2023-12-31') }));
    expect(error).toMatchObject({
      field: 'input.date',
      message: `advisor ${conseillerId} is not employed on 2023-12-31 (employed by structure ${structureId} from 2024-01-01 to 2024-12-31).`,
    });
    await expectNothingFiled(conseillerId);
  });

  test('a never-hired advisor files nothing, as admin too', async () => {
    const conseillerId = uniqueId();
    const error = await failsWith('BAD_USER_INPUT', file(conseillerId, ['2024-03-01', '2024-03-02']));
    expect(error).toMatchObject({
      field: 'input.cras',
      items: [0, 1].map((index) => ({
        index,
        field: 'date',
        message: `advisor ${conseillerId} has no employment contract: only an employed advisor files reports.`,
      })),
    });
    await expectNothingFiled(conseillerId);
  });

  test('a validated rupture: the rupture day is accepted, the day after refused, and a batch holding it files nothing', async () => {
    const conseillerId = uniqueId();
    const structureId = uniqueId();
    const id = await cdd2024(conseillerId, structureId);
    const ruptured = contractState({
      miseEnRelationId: id,
      conseillerId,
      structureId,
      status: 'FINALISEE_RUPTURE',
      ruptureDate: '2024-06-15',
    });
    await feed(activity.orm, 'activity', ruptureValidated, id, ruptured);

    const error = await failsWith('BAD_USER_INPUT', file(conseillerId, ['2024-06-14', '2024-06-15', '2024-06-16']));
    expect(error.message).toBe('1 of 3 reports are invalid; none was filed.');
    expect(error.items).toEqual([
      {
        index: 2,
        field: 'date',
        message: `advisor ${conseillerId} is not employed on 2024-06-16 (employed by structure ${structureId} from 2024-01-01 to 2024-06-15).`,
      },
    ]);
    await expectNothingFiled(conseillerId);

    const filed = await succeeds(file(conseillerId, ['2024-06-14', '2024-06-15']));
    expect(structuresOf(filed)).toEqual([String(structureId), String(structureId)]);
  });

  test("a renewal's reports go to the same structure, and a move to another one splits them by day", async () => {
    const conseillerId = uniqueId();
    const structureId = uniqueId();
    const first = uniqueId();
    const firstContract = { type: 'CDD' as const, startDate: '2023-01-01', endDate: '2023-12-31', grossMonthlySalaryCents: 180_000 };
    await feed(
      activity.orm,
      'activity',
      contractSigned,
      first,
      contractState({ miseEnRelationId: first, conseillerId, structureId, contract: firstContract }),
    );
    const renewal = uniqueId();
    await feed(
      activity.orm,
      'activity',
      contractRenewed,
      renewal,
      contractState({ miseEnRelationId: renewal, conseillerId, structureId, renewalOfId: first, phase: 'PHASE_2' }),
    );
    await feed(
      activity.orm,
      'activity',
      contractEnded,
      first,
      contractState({ miseEnRelationId: first, conseillerId, structureId, status: 'TERMINEE', contract: firstContract }),
    );
    const filed = await succeeds(file(conseillerId, ['2023-12-31', '2024-01-01', '2024-12-31']));
    expect(structuresOf(filed)).toEqual([String(structureId), String(structureId), String(structureId)]);

    // Then hired elsewhere from 2025: each day's report goes to that day's employer.
    const next = uniqueId();
    const nextContract = { type: 'CDI' as const, startDate: '2025-02-01', endDate: null, grossMonthlySalaryCents: 190_000 };
    await feed(
      activity.orm,
      'activity',
      contractSigned,
      next,
      contractState({ miseEnRelationId: next, conseillerId, structureId: next, contract: nextContract }),
    );
    const moved = await succeeds(file(conseillerId, ['2024-12-30', '2025-02-01']));
    expect(structuresOf(moved)).toEqual([String(structureId), String(next)]);
    const between = await failsWith('BAD_USER_INPUT', file(conseillerId, ['2025-01-15']));
    expect(between.items[0].message).toBe(
      `advisor ${conseillerId} is not employed on 2025-01-15 (employed by structure ${structureId} from 2023-01-01 to 2023-12-31; structure ${structureId} from 2024-01-01 to 2024-12-31; structure ${next} from 2025-02-01 with no end).`,
    );
  });

  test("an edit derives the structure again for the new date, and refuses a date outside the advisor's employment", async () => {
    const conseillerId = uniqueId();
    const [before, after] = [uniqueId(), uniqueId()];
    const id = await cdd2024(conseillerId, before);
    await feed(
      activity.orm,
      'activity',
      ruptureValidated,
      id,
      contractState({ miseEnRelationId: id, conseillerId, structureId: before, status: 'FINALISEE_RUPTURE', ruptureDate: '2024-06-15' }),
    );
    const next = uniqueId();
    const nextContract = { type: 'CDI' as const, startDate: '2024-07-01', endDate: null, grossMonthlySalaryCents: 190_000 };
    await feed(
      activity.orm,
      'activity',
      contractSigned,
      next,
      contractState({ miseEnRelationId: next, conseillerId, structureId: after, contract: nextContract }),
    );

    const filed = await succeeds(file(conseillerId, ['2024-03-01']));
    const craId = filed.fileCras.cras[0].id;
    expect(filed.fileCras.cras[0].structure).toEqual({ id: String(before) });
    const moved = await succeeds(activity.execute(UPDATE, { input: { id: craId, cra: report(conseillerId, '2024-08-01') } }));
    expect(moved.updateCra.cra).toMatchObject({ date: '2024-08-01', structure: { id: String(after) } });
    const refused = await failsWith(
      'BAD_USER_INPUT',
      activity.execute(UPDATE, { input: { id: craId, cra: report(conseillerId, '2024-06-20') } }),
    );
    expect(refused).toMatchObject({ field: 'input.cra.date', message: expect.stringContaining('is not employed on 2024-06-20') });
    // The refused edit changed nothing: the report and the aggregates stay at their last content.
    const stored = await activity.orm.em
      .fork()
      .getConnection()
      .execute(`select structure_id, to_char(date, 'YYYY-MM-DD') date from activity.cra where id = ?`, [Number(craId)]);
    expect(stored).toEqual([{ structure_id: after, date: '2024-08-01' }]);
    const [month] = await activity.orm.em
      .fork()
      .getConnection()
      .execute(
        `select structure_id, sum(reports)::int reports from activity.cra_stats_month where conseiller_id = ? and reports > 0 group by structure_id`,
        [conseillerId],
      );
    expect(month).toEqual({ structure_id: after, reports: 1 });
  });

  test("a batch's statement count does not grow with its length nor with its advisors", async () => {
    const cost = async (advisors: number, perAdvisor: number) => {
      const structureId = uniqueId();
      const ids: number[] = [];
      for (let i = 0; i < advisors; i++) {
        const conseillerId = uniqueId();
        await employ(activity.orm, conseillerId, structureId);
        ids.push(conseillerId);
      }
      const cras = ids.flatMap((conseillerId) =>
        Array.from({ length: perAdvisor }, (_, i) => report(conseillerId, `2024-0${1 + (i % 9)}-1${i % 10}`)),
      );
      const { result, total } = await countStatements(activity.orm, () => activity.execute(FILE, { input: { cras } }));
      expect(structuresOf(await succeeds(result))).toEqual(cras.map(() => String(structureId)));
      return total;
    };
    expect(await cost(20, 10)).toBe(await cost(1, 2));
  });
});
