import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { seededRandom } from '../../common/demo/random.js';
import { geography } from '../../common/geography.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import {
  CRA_ACTIVITY_TYPES,
  CRA_AGE_GROUPS,
  CRA_CHANNELS,
  CRA_DURATION_BUCKETS,
  CRA_REDIRECTION_BODIES,
  CRA_THEMES,
  Cra,
} from '../../subgraphs/activity/entities/index.js';
import { randomCraInput } from '../../subgraphs/activity/seeders/random-cra.js';
import { largestRemainderPercentages } from '../../subgraphs/activity/rules/percentages.js';
import type { CraStatistics, StatisticsFilter } from '../../subgraphs/activity/rules/statistics.js';
import { deleteCra, fileCras, updateCra } from '../../subgraphs/activity/services/cra.service.js';
import { craStatistics } from '../../subgraphs/activity/services/statistics.js';
import { employ } from '../support/factories/activity.js';
import { uniqueId } from '../support/ids.js';
import { countStatements } from '../support/sql-counter.js';
import { failsWith, succeeds, type Data } from '../support/graphql.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

/**
 * Statistics read from the aggregates must equal a plain recount of the reports. A random data set is filed in
 * two territories no other test writes to (Haute-Corse and Mayotte), edited and partly deleted; then random
 * filters are checked against a recount in JavaScript of the reports that remain.
 */
let activity: TestSubgraph;
let em: EntityManager;
const random = seededRandom(2024);
const advisors = Array.from({ length: 6 }, () => uniqueId());
const structures = [uniqueId(), uniqueId(), uniqueId()];
const communesOf = (departement: string) => geography().communes.filter((c) => c.departement === departement);
const pickCommunes = [...communesOf('2B').slice(0, 3), communesOf('976')[0]!];
let reports: Cra[] = [];

const day = () =>
  `${random.pick(['2023', '2024'])}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
const randomInput = () => {
  const i = random.int(0, advisors.length - 1);
  return randomCraInput(random, {
    conseillerId: advisors[i]!,
    commune: random.pick(pickCommunes),
    date: day(),
  });
};

beforeAll(async () => {
  activity = await openTestSubgraph('activity');
  em = activity.orm.em.fork() as EntityManager;
  // Advisor i works for structure i % 3 over the whole period.
  for (const [i, conseillerId] of advisors.entries()) await employ(activity.orm, conseillerId, structures[i % 3]!);
  for (let batch = 0; batch < 4; batch++)
    reports.push(...(await fileCras(em.fork(), SYSTEM_ADMIN, { cras: Array.from({ length: 150 }, randomInput), today: '2025-01-01' })));
  for (const cra of reports.slice(0, 30)) {
    const input = randomInput();
    Object.assign(
      cra,
      await updateCra(em.fork(), SYSTEM_ADMIN, { id: cra.id, cra: { ...input, conseillerId: cra.conseillerId }, today: '2025-01-01' }),
    );
  }
  for (const cra of reports.slice(30, 60)) await deleteCra(em.fork(), SYSTEM_ADMIN, { id: cra.id });
  reports = [...reports.slice(0, 30), ...reports.slice(60)];
  // Re-read what is stored: the recount works on the rows as they are.
  reports = await em.fork().find(Cra, { id: { $in: reports.map((r) => r.id) } });
});
afterAll(async () => {
  await activity?.close();
});

/** The expected figures, counted report by report. */
function recount(filter: StatisticsFilter) {
  const rows = reports.filter(
    (r) =>
      r.date >= filter.from &&
      r.date <= filter.to &&
      (filter.conseillerId == null || r.conseillerId === filter.conseillerId) &&
      (filter.structureId == null || r.structureId === filter.structureId) &&
      (filter.communeCode == null || r.communeCode === filter.communeCode) &&
      (filter.departementCode == null || r.departementCode === filter.departementCode) &&
      (filter.regionCode == null || r.regionCode === filter.regionCode) &&
      (filter.activityType == null || r.activityType === filter.activityType),
  );
  const sum = (f: (r: Cra) => number) => rows.reduce((s, r) => s + f(r), 0);
  const ageKeys = ['ageUnder12', 'ageFrom12To18', 'ageFrom18To35', 'ageFrom35To60', 'ageOver60'] as const;
  const months = new Map<string, number>();
  for (const r of rows) months.set(r.date.slice(0, 7), (months.get(r.date.slice(0, 7)) ?? 0) + 1);
  return {
    totals: {
      reports: rows.length,
      workshops: rows.filter((r) => r.activityType === 'COLLECTIF').length,
      workshopParticipants: sum((r) => (r.activityType === 'COLLECTIF' ? r.participants : 0)),
      individualSupports: rows.filter((r) => r.activityType === 'INDIVIDUEL').length,
      oneOffRequests: rows.filter((r) => r.activityType === 'PONCTUEL').length,
      participants: sum((r) => r.participants),
      recurringParticipants: sum((r) => r.recurringParticipants ?? 0),
      minutes: sum((r) => r.durationMinutes),
      followUps: {
        individual: sum((r) => r.followupIndividual),
        workshop: sum((r) => r.followupWorkshop),
        redirected: sum((r) => r.followupRedirected),
      },
    },
    themes: CRA_THEMES.map((t) => rows.filter((r) => r.themes.includes(t)).length),
    channels: CRA_CHANNELS.map((c) => rows.filter((r) => r.channel === c).length),
    durations: CRA_DURATION_BUCKETS.map((d) => rows.filter((r) => r.durationBucket === d).length),
    ages: CRA_AGE_GROUPS.map((_, i) => sum((r) => r[ageKeys[i]!])),
    redirections: CRA_REDIRECTION_BODIES.map((b) => sum((r) => r.redirections[b] ?? 0)),
    activityTypes: CRA_ACTIVITY_TYPES.map((t) => rows.filter((r) => r.activityType === t).length),
    timeByActivityType: CRA_ACTIVITY_TYPES.map((t) => sum((r) => (r.activityType === t ? r.durationMinutes : 0))),
    monthly: months,
  };
}

function observed(stats: CraStatistics) {
  const { followUps, followUpRate: _rate, ...totals } = stats.totals;
  return {
    totals: { ...totals, followUps: { individual: followUps.individual, workshop: followUps.workshop, redirected: followUps.redirected } },
    themes: stats.themes.map((s) => s.count),
    channels: stats.channels.map((s) => s.count),
    durations: stats.durations.map((s) => s.count),
    ages: stats.ages.map((s) => s.count),
    redirections: stats.redirections.map((s) => s.count),
    activityTypes: stats.activityTypes.map((s) => s.count),
    timeByActivityType: stats.timeByActivityType.map((s) => s.count),
    monthly: new Map(stats.monthly.filter((p) => p.reports > 0).map((p) => [p.month.slice(0, 7), p.reports])),
  };
}

describe('statistics equal a recount of the reports', () => {
  test('for 120 random filters combining advisor, structure, commune, département, région and activity type', async () => {
    const r = seededRandom(99);
    for (let i = 0; i < 120; i++) {
      const [a, b] = [day(), day()].sort();
      const filter: StatisticsFilter = { from: a!, to: b! };
      // Each dimension on its own, or combined with others (every read path: territory, advisor, commune, raw).
      const p = i < 30 ? 0.5 : 0.25;
      if (r.chance(p)) filter.conseillerId = r.pick(advisors);
      if (r.chance(p)) filter.structureId = r.pick(structures);
      if (r.chance(p)) filter.communeCode = r.pick(pickCommunes).code;
      if (r.chance(p)) filter.departementCode = r.pick(['2B', '976']);
      if (r.chance(p)) filter.regionCode = r.pick(['94', '06']);
      // Never national: other test files write elsewhere in the same database.
      if (Object.keys(filter).length === 2) filter.departementCode = r.pick(['2B', '976']);
      if (r.chance(0.3)) filter.activityType = r.pick(CRA_ACTIVITY_TYPES);
      const stats = (await craStatistics(em.fork(), SYSTEM_ADMIN, { filter })).get('')!;
      expect({ filter, ...observed(stats) }).toEqual({ filter, ...recount(filter) });
      for (const breakdown of [
        stats.themes,
        stats.channels,
        stats.durations,
        stats.ages,
        stats.publicStatuses,
        stats.redirections,
        stats.activityTypes,
      ]) {
        const counts = breakdown.map((s) => s.count);
        expect(breakdown.map((s) => s.percent)).toEqual(largestRemainderPercentages(counts));
        expect(breakdown.reduce((sum, s) => sum + s.percent, 0)).toBe(counts.some((c) => c > 0) ? 100 : 0);
      }
    }
  });

  test("statistics per advisor in one statement equal each advisor's own statistics", async () => {
    const filter = { from: '2023-02-11', to: '2024-10-20' };
    const { result: batched, total } = await countStatements(activity.orm, () =>
      craStatistics(em.fork(), SYSTEM_ADMIN, { filter, scope: { by: 'conseiller_id', keys: advisors } }),
    );
    expect(total).toBe(1);
    for (const id of advisors) expect(observed(batched.get(String(id))!)).toEqual(recount({ ...filter, conseillerId: id }));
  });
});

describe('through GraphQL', () => {
  test('the filter is validated, and the period is required', async () => {
    const bad = await failsWith(
      'BAD_USER_INPUT',
      activity.execute(`{ craStatistics(filter: { from: "2024-05-01", to: "2024-04-01" }) { totals { reports } } }`),
    );
    expect(bad).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.from' });
    await failsWith(
      'GRAPHQL_VALIDATION_FAILED',
      activity.execute(`{ craStatistics(filter: { from: "2024-05-01" }) { totals { reports } } }`),
    );
  });

  test("a period of 20 years or more is BAD_USER_INPUT, for the filter and for a territory's field alike", async () => {
    const query = `{ craStatistics(filter: { from: "2024-01-01", to: "2999-12-31" }) { monthly { month } } }`;
    expect(await failsWith('BAD_USER_INPUT', activity.execute(query))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
    const territory = `{ _entities(representations: [{ __typename: "Region", code: "94" }]) { ... on Region { craStatistics(from: "2024-01-01", to: "2999-12-31") { totals { reports } } } } }`;
    expect(await failsWith('BAD_USER_INPUT', activity.execute(territory))).toMatchObject({ code: 'BAD_USER_INPUT' });
    const longest = await succeeds(
      activity.execute(`{ craStatistics(filter: { from: "2020-01-01", to: "2039-12-31" }) { monthly { month } } }`),
    );
    expect(longest.craStatistics.monthly).toHaveLength(240);
  });

  test("a day whose arithmetic would leave PostgreSQL's calendar (30 days before 0001-01-01) is refused before any statement", async () => {
    const error = await failsWith(
      'GRAPHQL_VALIDATION_FAILED',
      activity.execute(`{ craActivityGroups(filter: { asOf: "0001-01-01" }) { percent } }`),
    );
    expect(error.message).toMatch(/from 1000-01-01 to 2999-12-31/);
  });

  test('advisors, structures and départements answer their statistics in one statement for 2 or 6 of them', async () => {
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Conseiller { craStatistics(from: "2023-01-01", to: "2024-12-31") { totals { reports } monthly { reports } } craActivity(asOf: "2024-12-31") { group reports } } } }`;
    const cost = async (ids: number[]) => {
      const { result, total } = await countStatements(activity.orm, () =>
        activity.execute(query, { reps: ids.map((id) => ({ __typename: 'Conseiller', id: String(id) })) }),
      );
      const entities = (await succeeds(result))._entities;
      entities.forEach((e: Data, i: number) => {
        expect(e.craStatistics.totals.reports).toBe(recount({ from: '2023-01-01', to: '2024-12-31', conseillerId: ids[i] }).totals.reports);
        expect(e.craActivity.reports).toBe(e.craStatistics.totals.reports);
        expect(e.craStatistics.monthly).toHaveLength(24);
      });
      return total;
    };
    expect(await cost(advisors.slice(0, 2))).toBe(await cost(advisors));

    const territories = await succeeds(
      activity.execute(`{ _entities(representations: [{ __typename: "Departement", code: "2B" }, { __typename: "Region", code: "06" }]) {
      ... on Departement { code craStatistics(from: "2023-01-01", to: "2024-12-31") { totals { reports } } }
      ... on Region { code craStatistics(from: "2023-01-01", to: "2024-12-31") { totals { reports } } } } }`),
    );
    expect(territories).toEqual({
      _entities: [
        {
          code: '2B',
          craStatistics: { totals: { reports: recount({ from: '2023-01-01', to: '2024-12-31', departementCode: '2B' }).totals.reports } },
        },
        {
          code: '06',
          craStatistics: { totals: { reports: recount({ from: '2023-01-01', to: '2024-12-31', regionCode: '06' }).totals.reports } },
        },
      ],
    });
  });

  test('activity groups classify the advisors named, including those who never filed', async () => {
    const never = uniqueId();
    const data = await succeeds(
      activity.execute(
        `query ($ids: [ID!]) { craActivityGroups(filter: { asOf: "2025-01-15", conseillerIds: $ids }) { group count percent } }`,
        {
          ids: [...advisors, never].map(String),
        },
      ),
    );
    const lastOf = (id: number) =>
      reports
        .filter((r) => r.conseillerId === id)
        .map((r) => r.date)
        .sort()
        .at(-1)!;
    // Every advisor's last report is in 2023–2024: none this year as of mid-January 2025, unless within 30 days.
    const active = advisors.filter((id) => lastOf(id) >= '2024-12-16').length;
    expect(data).toEqual({
      craActivityGroups: [
        { group: 'ACTIVE', count: active, percent: expect.any(Number) },
        { group: 'INACTIVE_30_DAYS', count: 0, percent: 0 },
        { group: 'NEVER', count: 1, percent: expect.any(Number) },
        { group: 'NONE_THIS_YEAR', count: advisors.length - active, percent: expect.any(Number) },
      ],
    });
  });
});
