import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { activityTotals, craInput, employedAdvisor } from '../support/factories/activity.js';
import { uniqueId } from '../support/ids.js';
import { countStatements } from '../support/sql-counter.js';
import { failsWith, succeeds, type Data } from '../support/graphql.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

let activity: TestSubgraph;
beforeAll(async () => {
  activity = await openTestSubgraph('activity');
});
afterAll(async () => {
  await activity?.close();
});

const FILE = `mutation ($input: FileCrasInput!) { fileCras(input: $input) { cras { id date participants duration durationMinutes durationBucket communeName departementCode regionCode
  ages { over60 from18To35 } followUps { redirected } redirections { body otherName count } themes history { action changedFields } } } }`;
const FILE_ONE = `mutation ($input: CraInput!) { fileCra(input: $input) { cra { id } } }`;
const UPDATE = `mutation ($input: UpdateCraInput!) { updateCra(input: $input) { cra { id } } }`;
const DELETE = `mutation ($input: DeleteCraInput!) { deleteCra(input: $input) { id } }`;

/** A new advisor employed by structure 5 since 2020. */
const advisor = () => employedAdvisor(activity.orm, 5);
const aggregateTotals = (conseillerId: number) => activityTotals(activity.orm, conseillerId);

const reportsOf = (conseillerId: number, items: Record<string, unknown>[]) =>
  items.map((item) => ({
    ...craInput({ conseillerId, ...item }),
    conseillerId: String(conseillerId),
  }));
const vars = (conseillerId: number, items: Record<string, unknown>[]) => ({ input: { cras: reportsOf(conseillerId, items) } });

describe('filing reports', () => {
  test('a batch is filed with derived fields, audit entries and aggregates', async () => {
    const conseillerId = await advisor();
    const data = await succeeds(
      activity.execute(
        FILE,
        vars(conseillerId, [
          { date: '2024-03-04', duration: '0-30' },
          {
            date: '2024-04-02',
            activityType: 'COLLECTIF',
            participants: 3,
            duration: '120',
            ages: { under12: 0, from12To18: 0, from18To35: 1, from35To60: 0, over60: 2 },
            statuses: { etudiant: 0, sansEmploi: 0, enEmploi: 0, retraite: 3, heterogene: 0 },
            followUps: { individual: 0, workshop: 0, redirected: 2 },
            redirections: [
              { body: 'CAF', count: 1 },
              { body: 'AUTRE', otherName: 'Point justice', count: 1 },
            ],
            themes: ['SANTE', 'INTERNET'],
          },
        ]),
      ),
    );
    const cras = data.fileCras.cras;
    expect(cras[0]).toMatchObject({
      date: '2024-03-04',
      duration: '0-30',
      durationMinutes: 30,
      durationBucket: 'MINUTES_0_30',
      communeName: 'Marseille',
      departementCode: '13',
      regionCode: '93',
    });
    expect(cras[1]).toMatchObject({
      participants: 3,
      durationMinutes: 120,
      durationBucket: 'MINUTES_120_PLUS',
      ages: { over60: 2, from18To35: 1 },
      followUps: { redirected: 2 },
      redirections: [
        { body: 'CAF', otherName: null, count: 1 },
        { body: 'AUTRE', otherName: 'Point justice', count: 1 },
      ],
      themes: ['SANTE', 'INTERNET'],
      history: [{ action: 'CREATED', changedFields: expect.arrayContaining(['participants', 'themes']) }],
    });
    expect(await aggregateTotals(conseillerId)).toEqual({
      month: { reports: 2, participants: 4, minutes: 150 },
      raw: { reports: 2, participants: 4, minutes: 150 },
      advisor: { reports: 2, first: '2024-03-04', last: '2024-04-02' },
    });
  });

  test('a batch with invalid items files nothing and says, per item, which field is wrong', async () => {
    const conseillerId = await advisor();
    const response = await activity.execute(FILE, vars(conseillerId, [{}, { participants: 0 }, {}, { date: '2019-05-01', themes: [] }]));
    expect(response.data).toEqual({ fileCras: null });
    const error = await failsWith('BAD_USER_INPUT', response);
    expect(error.message).toBe('2 of 4 reports are invalid; none was filed.');
    expect(error).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.cras',
      items: [
        { index: 1, field: 'participants', message: expect.any(String) },
        { index: 3, field: 'date', message: expect.any(String) },
        { index: 3, field: 'themes', message: expect.any(String) },
      ],
    });
    expect(await aggregateTotals(conseillerId)).toEqual({
      month: { reports: 0, participants: 0, minutes: 0 },
      raw: { reports: 0, participants: 0, minutes: 0 },
      advisor: null,
    });
  });

  test('a failure inside the transaction rolls back the reports and the aggregates together', async () => {
    const conseillerId = await advisor();
    // Valid input, but the aggregate upsert fails after the reports were inserted (a constraint refusing this advisor).
    const em = activity.orm.em.fork() as EntityManager;
    const constraint = `refuse_${conseillerId}`;
    await em.execute(
      `alter table activity.cra_stats_month add constraint ${constraint} check (conseiller_id <> ${conseillerId}) not valid`,
    );
    try {
      await failsWith('INTERNAL_SERVER_ERROR', activity.execute(FILE, vars(conseillerId, [{}, {}])));
    } finally {
      await em.execute(`alter table activity.cra_stats_month drop constraint ${constraint}`);
    }
    expect(await aggregateTotals(conseillerId)).toEqual({
      month: { reports: 0, participants: 0, minutes: 0 },
      raw: { reports: 0, participants: 0, minutes: 0 },
      advisor: null,
    });
    const audit = await em.execute(
      `select count(*)::int n from activity.cra_audit a where a.before ->> 'conseiller_id' = ? or a.after ->> 'conseiller_id' = ?`,
      [String(conseillerId), String(conseillerId)],
    );
    expect(audit).toEqual([{ n: 0 }]);
  });

  test('an unknown place is reported on its item', async () => {
    const error = await failsWith('BAD_USER_INPUT', activity.execute(FILE, vars(await advisor(), [{ placeId: '2147000000' }])));
    expect(error).toMatchObject({ items: [{ index: 0, field: 'placeId' }] });
  });

  test('one report: the error names the input field', async () => {
    const conseillerId = await advisor();
    const error = await failsWith(
      'BAD_USER_INPUT',
      activity.execute(FILE_ONE, { input: reportsOf(conseillerId, [{ duration: '45' }])[0] }),
    );
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.duration' });
  });

  test('a batch costs the same number of statements for 2 or 200 reports', async () => {
    const cost = async (n: number) => {
      const conseillerId = await advisor();
      const inputs = vars(
        conseillerId,
        Array.from({ length: n }, (_, i) => ({ date: `2024-0${1 + (i % 9)}-1${i % 10}` })),
      );
      const { result, total } = await countStatements(activity.orm, () =>
        activity.execute(`mutation ($input: FileCrasInput!) { fileCras(input: $input) { cras { id } } }`, inputs),
      );
      await succeeds(result);
      return total;
    };
    expect(await cost(200)).toBe(await cost(2));
  });
});

describe('editing and deleting', () => {
  test('an edit moves the aggregates and records before and after; a delete keeps the trail', async () => {
    const conseillerId = await advisor();
    const filed = await succeeds(activity.execute(FILE, vars(conseillerId, [{ date: '2024-05-10' }, { date: '2024-06-11' }])));
    const [first, second] = filed.fileCras.cras as { id: string }[];
    const edit = reportsOf(conseillerId, [{ date: '2024-07-01', duration: '90' }])[0];
    const updated = await succeeds(
      activity.execute(
        `mutation ($input: UpdateCraInput!) { updateCra(input: $input) { cra { date durationMinutes history { action actorId actorRole changedFields before after } } } }`,
        { input: { id: second!.id, cra: edit } },
      ),
    );
    const cra = updated.updateCra.cra;
    expect(cra.date).toBe('2024-07-01');
    // The test subgraph runs as the system administrator.
    expect(cra.history.map((h: Data) => [h.action, h.actorId, h.actorRole])).toEqual([
      ['CREATED', 'system', 'admin'],
      ['UPDATED', 'system', 'admin'],
    ]);
    expect(cra.history[1]!.changedFields).toEqual(['date', 'duration', 'duration_bucket', 'duration_minutes']);
    expect(JSON.parse(cra.history[1]!.before).date).toBe('2024-06-11');
    expect(await aggregateTotals(conseillerId)).toMatchObject({
      month: { reports: 2, minutes: 150 },
      raw: { minutes: 150 },
      advisor: { last: '2024-07-01' },
    });

    const changeAdvisor = await failsWith(
      'BAD_USER_INPUT',
      activity.execute(`mutation ($input: UpdateCraInput!) { updateCra(input: $input) { cra { id } } }`, {
        input: { id: second!.id, cra: { ...edit, conseillerId: String(uniqueId()) } },
      }),
    );
    expect(changeAdvisor).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.cra.conseillerId' });

    for (const { id } of [first!, second!]) await succeeds(activity.execute(DELETE, { input: { id } }));
    expect(await aggregateTotals(conseillerId)).toEqual({
      month: { reports: 0, participants: 0, minutes: 0 },
      raw: { reports: 0, participants: 0, minutes: 0 },
      advisor: null,
    });
    const data = await succeeds(
      activity.execute(`query ($id: ID!) { cra(id: $id) { id } craHistory(craId: $id) { action before after } }`, {
        id: second!.id,
      }),
    );
    expect(data.cra).toBeNull();
    expect(data.craHistory.map((h: Data) => h.action)).toEqual(['CREATED', 'UPDATED', 'DELETED']);
    expect(JSON.parse(data.craHistory[2]!.before!).date).toBe('2024-07-01');
    expect(data.craHistory[2]!.after).toBeNull();

    await failsWith('NOT_FOUND', activity.execute(DELETE, { input: { id: second!.id } }));
  });
});

describe('concurrent writers', () => {
  test('parallel filings, edits and deletions for one advisor and month leave the aggregates exact', async () => {
    const conseillerId = await advisor();
    const report = (day: string, extra: Record<string, unknown> = {}) => reportsOf(conseillerId, [{ date: `2024-09-${day}`, ...extra }])[0];
    const filed = await Promise.all(
      ['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => succeeds(activity.execute(FILE_ONE, { input: report(d) }))),
    );
    const ids = filed.map((data) => data.fileCra.cra.id);
    await Promise.all(
      [
        // The same report edited twice at once: the row lock orders the two edits.
        activity.execute(UPDATE, { input: { id: ids[0], cra: report('10', { duration: '90' }) } }),
        activity.execute(UPDATE, { input: { id: ids[0], cra: report('11', { duration: '120' }) } }),
        activity.execute(UPDATE, { input: { id: ids[1], cra: report('12', { duration: '0-30' }) } }),
        activity.execute(DELETE, { input: { id: ids[2] } }),
        activity.execute(DELETE, { input: { id: ids[3] } }),
        ...['20', '21', '22'].map((d) => activity.execute(FILE_ONE, { input: report(d) })),
      ].map((result) => succeeds(result)),
    );
    const totals = await aggregateTotals(conseillerId);
    expect(totals.month).toEqual(totals.raw);
    expect(totals.raw).toMatchObject({ reports: 9 });
    expect(totals.advisor).toMatchObject({ reports: 9, last: '2024-09-22' });
  });

  test('edits crossing months in both directions at once (deadlock-prone) all succeed and stay exact', async () => {
    const conseillerId = await advisor();
    const report = (date: string) => reportsOf(conseillerId, [{ date }])[0];
    const filed = await Promise.all(
      ['2024-03-05', '2024-03-06', '2024-03-07', '2024-04-05', '2024-04-06', '2024-04-07'].map((d) =>
        succeeds(activity.execute(FILE_ONE, { input: report(d) })),
      ),
    );
    const ids = filed.map((data) => data.fileCra.cra.id);
    const moves = ids.map((id, i) =>
      succeeds(activity.execute(UPDATE, { input: { id, cra: report(i < 3 ? '2024-04-20' : '2024-03-20') } })),
    );
    await Promise.all(moves);
    const totals = await aggregateTotals(conseillerId);
    expect(totals.month).toEqual(totals.raw);
    const em = activity.orm.em.fork() as EntityManager;
    const perMonth = await em.execute(
      `select to_char(month, 'MM') m, sum(reports)::int n from activity.cra_stats_month where conseiller_id = ? group by 1 order by 1`,
      [conseillerId],
    );
    expect(perMonth).toEqual([
      { m: '03', n: 3 },
      { m: '04', n: 3 },
    ]);
  });
});

describe('listing', () => {
  test("an advisor's reports page newest first by cursor; a list needs a scope", async () => {
    const conseillerId = await advisor();
    await succeeds(
      activity.execute(
        FILE,
        vars(
          conseillerId,
          ['01', '02', '03', '04', '05'].map((d) => ({ date: `2024-02-${d}` })),
        ),
      ),
    );
    const page = (after?: string) =>
      activity.execute(
        `query ($f: CraFilter!, $after: String) { cras(filter: $f, first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { date } } } }`,
        { f: { conseillerId: String(conseillerId) }, after },
      );
    const one = await succeeds(page());
    expect(one.cras.totalCount).toBe(5);
    expect(one.cras.edges.map((e: Data) => e.node.date)).toEqual(['2024-02-05', '2024-02-04']);
    const two = await succeeds(page(one.cras.pageInfo.endCursor));
    expect(two.cras.edges.map((e: Data) => e.node.date)).toEqual(['2024-02-03', '2024-02-02']);
    const unscoped = await failsWith('BAD_USER_INPUT', activity.execute(`{ cras(filter: {}) { totalCount } }`));
    expect(unscoped).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter' });
  });
});
