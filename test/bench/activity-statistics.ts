/**
 * npm run bench:activity — latency of the main statistics queries on the national data set written by
 * `npm run data:generate:activity` (BENCH_DATABASE_URL, by default `conum_bench_activity` on the local server).
 * Each query runs through GraphQL in-process (parse, validate, resolvers, SQL, serialisation) with random
 * periods and scopes; prints p50/p95/p99/max in milliseconds and the SQL statements per query.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { seededRandom } from '../../common/demo/random.js';
import { formatError } from '../../common/errors.js';
import { statementCounter } from '../../common/db.js';
import { buildSchema, createContext, openSubgraphOrm } from '../../common/server.js';
import { ANONYMOUS, SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';
import { activity } from '../../subgraphs/activity/index.js';
import { benchDatabaseUrl } from '../../subgraphs/activity/seeders/national.js';
import { randomCraInput } from '../../subgraphs/activity/seeders/random-cra.js';
import { deleteCra } from '../../subgraphs/activity/services/cra.service.js';
import { communeByCode } from '../../subgraphs/activity/rules/cra-validation.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const random = seededRandom(11);
const orm = await openSubgraphOrm(activity, benchDatabaseUrl(), 4);
const server = new ApolloServer({ schema: buildSchema(activity), formatError, plugins: [ApolloServerPluginInlineTraceDisabled()] });
await server.start();
const counter = statementCounter(orm);

const em = orm.em.fork();
const [{ reports, advisors }] = await em.execute<{ reports: number; advisors: number }[]>(
  `select (select count(*) from activity.cra)::int reports, (select count(*) from activity.cra_advisor_activity)::int advisors`,
);
const sample = async (sql: string) => (await em.execute<{ v: string }[]>(sql)).map((r) => r.v);
const structures = await sample(`select distinct structure_id::text v from activity.cra_advisor_activity`);
const conseillers = await sample(`select conseiller_id::text v from activity.cra_advisor_activity`);
// Who may file for any day of 2024: employed all year, per activity's copy of recruitment's contracts.
const employedIn2024 = await sample(
  `select distinct conseiller_id::text v from activity.recruitment_contract where employed_from <= '2024-01-01' and (employed_until is null or employed_until >= '2024-12-31')`,
);
const departements = await sample(`select distinct departement_code v from activity.cra_stats_territory_month`);
const regions = await sample(`select distinct region_code v from activity.cra_stats_territory_month`);
// The busiest communes: the worst case of a commune filter.
const communes = await sample(`select commune_code v from activity.cra_stats_commune_month group by 1 order by sum(reports) desc limit 50`);

const day = (year: number) => `${year}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
const randomPeriod = () => {
  const [from, to] = [day(random.int(2021, 2024)), day(random.int(2021, 2024))].sort();
  return { from: from! < '2020-11-17' ? '2020-11-17' : from!, to: to! };
};

const FIELDS = `totals { reports workshops workshopParticipants individualSupports oneOffRequests participants recurringParticipants followUps { total } followUpRate minutes }
  themes { key count percent } channels { key count percent } durations { key count percent } ages { key count percent }
  publicStatuses { key count percent } redirections { key count percent } timeByActivityType { key count percent } monthly { month reports participants }`;
const STATS = `query ($filter: CraStatisticsFilter!) { craStatistics(filter: $filter) { ${FIELDS} } }`;

// Restricted viewers: the row filter joins the statement of every query about advisors or structures.
const prefetOf = (departement: string): Viewer => ({
  ...SYSTEM_ADMIN,
  role: 'prefet',
  id: 'bench-prefet',
  territory: { departements: [departement], regions: [] },
});
const prefetOfRegion = (region: string): Viewer => ({
  ...SYSTEM_ADMIN,
  role: 'prefet',
  id: 'bench-prefet',
  territory: { departements: [], regions: [region] },
});

const cases: { name: string; query: string; variables: () => Record<string, unknown>; viewer?: () => Viewer }[] = [
  {
    name: 'national, 4 years (partial months at both ends)',
    query: STATS,
    variables: () => ({ filter: { from: '2020-11-17', to: '2024-11-15' } }),
  },
  {
    name: 'national, one calendar year',
    query: STATS,
    variables: () => {
      const year = random.int(2021, 2023);
      return { filter: { from: `${year}-01-01`, to: `${year}-12-31` } };
    },
  },
  { name: 'national, random period', query: STATS, variables: () => ({ filter: randomPeriod() }) },
  {
    name: 'national, random period, one activity type',
    query: STATS,
    variables: () => ({ filter: { ...randomPeriod(), activityType: random.pick(['INDIVIDUEL', 'COLLECTIF', 'PONCTUEL']) } }),
  },
  { name: 'région, random period', query: STATS, variables: () => ({ filter: { ...randomPeriod(), regionCode: random.pick(regions) } }) },
  {
    name: 'département, random period',
    query: STATS,
    variables: () => ({ filter: { ...randomPeriod(), departementCode: random.pick(departements) } }),
  },
  {
    name: 'busiest communes, random period',
    query: STATS,
    variables: () => ({ filter: { ...randomPeriod(), communeCode: random.pick(communes) } }),
  },
  {
    name: 'structure, random period',
    query: STATS,
    variables: () => ({ filter: { ...randomPeriod(), structureId: random.pick(structures) } }),
  },
  {
    name: 'advisor, random period',
    query: STATS,
    variables: () => ({ filter: { ...randomPeriod(), conseillerId: random.pick(conseillers) } }),
  },
  {
    name: '100 advisors via _entities (one batch), random period',
    query: `query ($reps: [_Any!]!, $from: Date!, $to: Date!) { _entities(representations: $reps) { ... on Conseiller { craStatistics(from: $from, to: $to) { totals { reports participants } activityTypes { key percent } } craActivity(asOf: "2024-11-15") { group } } } }`,
    variables: () => ({
      ...randomPeriod(),
      reps: Array.from({ length: 100 }, () => ({ __typename: 'Conseiller', id: random.pick(conseillers) })),
    }),
  },
  {
    name: 'activity groups, national',
    query: `{ craActivityGroups(filter: { asOf: "2024-11-15" }) { group count percent } }`,
    variables: () => ({}),
  },
  {
    name: 'national, random period, as anonymous (public)',
    query: STATS,
    variables: () => ({ filter: randomPeriod() }),
    viewer: () => ANONYMOUS,
  },
  {
    name: 'structure, random period, as a préfet of a département',
    query: STATS,
    variables: () => ({ filter: { ...randomPeriod(), structureId: random.pick(structures) } }),
    viewer: () => prefetOf(random.pick(departements)),
  },
  {
    name: 'advisor, random period, as a préfet of a région',
    query: STATS,
    variables: () => ({ filter: { ...randomPeriod(), conseillerId: random.pick(conseillers) } }),
    viewer: () => prefetOfRegion(random.pick(regions)),
  },
  {
    name: '100 advisors via _entities, as a préfet of a région',
    query: `query ($reps: [_Any!]!, $from: Date!, $to: Date!) { _entities(representations: $reps) { ... on Conseiller { craStatistics(from: $from, to: $to) { totals { reports participants } activityTypes { key percent } } craActivity(asOf: "2024-11-15") { group } } } }`,
    variables: () => ({
      ...randomPeriod(),
      reps: Array.from({ length: 100 }, () => ({ __typename: 'Conseiller', id: random.pick(conseillers) })),
    }),
    viewer: () => prefetOfRegion(random.pick(regions)),
  },
  {
    name: 'activity groups, as a préfet of a région',
    query: `{ craActivityGroups(filter: { asOf: "2024-11-15" }) { group count percent } }`,
    variables: () => ({}),
    viewer: () => prefetOfRegion(random.pick(regions)),
  },
  {
    name: "an advisor's reports, page of 20, as a préfet of a région",
    query: `query ($id: ID!) { cras(filter: { conseillerId: $id }) { totalCount edges { node { id date place { id } } } } }`,
    variables: () => ({ id: random.pick(conseillers) }),
    viewer: () => prefetOfRegion(random.pick(regions)),
  },
  {
    // The write path at national scale: insert, 4 aggregate upserts, audit, advisor activity (deleted afterwards).
    name: 'fileCras: 20 reports of one advisor (write)',
    query: `mutation ($input: FileCrasInput!) { fileCras(input: $input) { cras { id } } }`,
    variables: () => {
      const conseillerId = Number(random.pick(employedIn2024));
      const commune = communeByCode('75056')!;
      return {
        input: {
          cras: Array.from({ length: 20 }, () => randomCraInput(random, { conseillerId, commune, date: day(2024) })),
        },
      };
    },
  },
];
const filed: number[] = [];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
console.log(
  `activity statistics on ${reports.toLocaleString('en')} reports, ${advisors} advisors with reports; ${RUNS} runs per query (after 3 warm-up runs)\n`,
);
console.log(`${'query'.padEnd(60)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'p99'.padStart(8)}${'max'.padStart(8)}  SQL`);
for (const c of cases) {
  const times: number[] = [];
  let statements = 0;
  for (let i = 0; i < RUNS + 3; i++) {
    const variables = c.variables();
    const before = counter.statements;
    const start = performance.now();
    const response = await server.executeOperation(
      { query: c.query, variables },
      { contextValue: createContext(activity, orm, c.viewer?.() ?? SYSTEM_ADMIN) },
    );
    const elapsed = performance.now() - start;
    if (response.body.kind !== 'single' || response.body.singleResult.errors)
      throw new Error(`${c.name}: ${JSON.stringify(response.body)}`);
    const data = response.body.singleResult.data as { fileCras?: { cras: { id: string }[] } };
    filed.push(...(data.fileCras?.cras.map((c) => Number(c.id)) ?? []));
    if (i >= 3) {
      times.push(elapsed);
      statements = Math.max(statements, counter.statements - before);
    }
  }
  times.sort((a, b) => a - b);
  const ms = (v: number) => v.toFixed(1).padStart(8);
  console.log(
    `${c.name.padEnd(60)}${ms(percentile(times, 50))}${ms(percentile(times, 95))}${ms(percentile(times, 99))}${ms(times.at(-1)!)}  ${statements}`,
  );
}
for (const id of filed) await deleteCra(orm.em.fork(), SYSTEM_ADMIN, { id });
await server.stop();
await orm.close();
