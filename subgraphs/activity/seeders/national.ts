/**
 * npm run data:generate:activity -- [--advisors 4000] [--reports 10000000] [--seed 1]
 *
 * A national-scale activity data set in its own database (BENCH_DATABASE_URL, by default `conum_bench_activity` on
 * the local server): ~2,900 structures in real communes, 4,000 advisors recruited from Nov 2020 (most in 2021), some
 * leaving, each filing reports every working day from their start to 15 Nov 2024 (end of CRA v1) with the
 * programme's seasonality (summer and Christmas dips). Every report is a `randomCraInput` that passed `validateCra`,
 * bulk-inserted with multi-row `unnest` inserts; the aggregates are then rebuilt by the same SQL the write path uses.
 * The bulk load writes no audit entries: it stands for an import, not for users' edits.
 */
import pg from 'pg';
import { seededRandom, type Random } from '../../../common/demo/random.js';
import type { DemoWorld } from '../../../common/demo/world.js';
import { geography, type Commune } from '../../../common/geography.js';
import { createLogger } from '../../../common/logger.js';
import { migrate } from '../../../common/db.js';
import { loadEnv } from '../../../common/env.js';
import { handleClientErrors } from '../../../common/pg-errors.js';
import { openSubgraphOrm } from '../../../common/server.js';
import { activity } from '../index.js';
import { rebuildAggregates } from '../services/aggregates.js';
import { validateCra, type CraValues } from '../rules/cra-validation.js';
import { MONTH_SEASONALITY, WEEKDAY_SEASONALITY, randomCraInput } from './random-cra.js';

const log = createLogger('generate');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ADVISORS = arg('advisors', 4000);
const TARGET_REPORTS = arg('reports', 10_000_000);
const SEED = arg('seed', 1);
const FIRST_DAY = '2020-11-17';
const LAST_DAY = '2024-11-15';
const BATCH = 10_000;

export function benchDatabaseUrl(): string {
  return loadEnv().BENCH_DATABASE_URL;
}

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: server.toString() });
  handleClientErrors(admin, log);
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
}

/** An advisor as the generator sees it: where it works, from when to when, and how much it files. */
export interface Advisor {
  id: number;
  structure: { id: number; commune: Commune; placeId: number };
  start: number;
  end: number;
  productivity: number;
}

const DAY = 86_400_000;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const isoOf = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);

/** Communes drawn in proportion to the square root of their population: cities have more structures, not all. */
function communePicker(random: Random, communes: Commune[]) {
  const cumulative: number[] = [];
  let total = 0;
  for (const c of communes) cumulative.push((total += Math.sqrt(c.population ?? 100)));
  return () => {
    const r = random.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return communes[lo]!;
  };
}

/**
 * The advisors of a shared demo world (`npm run data:generate`): everyone ever hired, at their structure's commune,
 * from their start (not before CRA v1 began) to the end of CRA v1, or earlier for those who left.
 */
export function advisorsFromWorld(world: DemoWorld, seed = SEED): Advisor[] {
  const random = seededRandom(seed);
  const structures = new Map(world.structures.map((s) => [s.id, s]));
  const first = dayNumber(FIRST_DAY);
  const last = dayNumber(LAST_DAY);
  return world.people.flatMap((person) => {
    const structure = person.structureId ? structures.get(person.structureId) : undefined;
    if (!structure || !person.startDate) return [];
    const start = Math.max(first, dayNumber(person.startDate));
    if (start > last) return [];
    const end = person.status === 'RECRUTE' ? last : Math.min(last, start + 180 + Math.floor(random.next() * 900));
    const productivity = random.chance(0.03) ? 0 : 0.3 + random.next() * 1.4;
    return [
      { id: person.id, structure: { id: structure.id, commune: structure.commune, placeId: structure.id }, start, end, productivity },
    ];
  });
}

function buildAdvisors(random: Random): Advisor[] {
  const communes = geography().communes;
  const pick = communePicker(random, communes);
  const advisors: Advisor[] = [];
  let structureId = 0;
  const first = dayNumber(FIRST_DAY);
  const last = dayNumber(LAST_DAY);
  while (advisors.length < ADVISORS) {
    structureId++;
    const structure = { id: structureId, commune: pick(), placeId: structureId };
    // Posts per structure: the median is 1, a few networks have many.
    const posts = random.chance(0.75) ? 1 : random.chance(0.8) ? random.int(2, 3) : random.int(4, 12);
    for (let k = 0; k < posts && advisors.length < ADVISORS; k++) {
      // Recruitment: a ramp from Nov 2020, most in 2021, some replacements up to 2023.
      const start = first + Math.floor(random.chance(0.8) ? random.next() * 420 : 420 + random.next() * 800);
      const leaves = random.chance(0.2);
      const end = leaves ? Math.min(last, start + 180 + Math.floor(random.next() * 900)) : last;
      // 3 % never file; others between a light and a heavy filer.
      const productivity = random.chance(0.03) ? 0 : 0.3 + random.next() * 1.4;
      advisors.push({ id: advisors.length + 1, structure, start, end, productivity });
    }
  }
  return advisors;
}

/** Expected reports per day of an advisor, before scaling to the target volume. */
function dayWeight(advisor: Advisor, day: number): number {
  const date = new Date(day * DAY);
  const rampUp = Math.min(1, (day - advisor.start + 15) / 75);
  return advisor.productivity * rampUp * MONTH_SEASONALITY[date.getUTCMonth()]! * WEEKDAY_SEASONALITY[date.getUTCDay()]!;
}

/** Columns of `cra` and how each is read from validated values. */
const COLUMNS: [string, string, (v: CraValues) => unknown][] = [
  ['conseiller_id', 'int', (v) => v.conseillerId],
  ['structure_id', 'int', (v) => v.structureId],
  ['place_id', 'int', (v) => v.placeId],
  ['date', 'date', (v) => v.date],
  ['activity_type', 'text', (v) => v.activityType],
  ['channel', 'text', (v) => v.channel],
  ['participants', 'int', (v) => v.participants],
  ['recurring_participants', 'int', (v) => v.recurringParticipants],
  ['age_under_12', 'int', (v) => v.ageUnder12],
  ['age_from_12_to_18', 'int', (v) => v.ageFrom12To18],
  ['age_from_18_to_35', 'int', (v) => v.ageFrom18To35],
  ['age_from_35_to_60', 'int', (v) => v.ageFrom35To60],
  ['age_over_60', 'int', (v) => v.ageOver60],
  ['status_etudiant', 'int', (v) => v.statusEtudiant],
  ['status_sans_emploi', 'int', (v) => v.statusSansEmploi],
  ['status_en_emploi', 'int', (v) => v.statusEnEmploi],
  ['status_retraite', 'int', (v) => v.statusRetraite],
  ['status_heterogene', 'int', (v) => v.statusHeterogene],
  ['themes', 'text', (v) => `{${v.themes.join(',')}}`],
  ['sub_themes', 'text', (v) => `{${v.subThemes.join(',')}}`],
  ['duration', 'text', (v) => v.duration],
  ['duration_minutes', 'int', (v) => v.durationMinutes],
  ['duration_bucket', 'text', (v) => v.durationBucket],
  ['followup_individual', 'int', (v) => v.followupIndividual],
  ['followup_workshop', 'int', (v) => v.followupWorkshop],
  ['followup_redirected', 'int', (v) => v.followupRedirected],
  ['redirections', 'text', (v) => JSON.stringify(v.redirections)],
  ['redirection_other_name', 'text', (v) => v.redirectionOtherName],
  ['commune_code', 'text', (v) => v.communeCode],
  ['postal_code', 'text', (v) => v.postalCode],
  ['commune_name', 'text', (v) => v.communeName],
  ['departement_code', 'text', (v) => v.departementCode],
  ['region_code', 'text', (v) => v.regionCode],
];
const CAST: Record<string, string> = { themes: '::text[]', sub_themes: '::text[]', redirections: '::jsonb' };
const INSERT = `insert into activity.cra (${COLUMNS.map(([c]) => c).join(', ')}, created_at, updated_at)
  select ${COLUMNS.map(([c]) => `u.${c}${CAST[c] ?? ''}`).join(', ')}, now(), now()
  from unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) as u(${COLUMNS.map(([c]) => c).join(', ')})`;
/** Secondary indexes of `cra`, dropped during the load and rebuilt after (much faster than maintaining them row by row). */
const INDEXES = [
  ['cra_place_id_index', '(place_id)'],
  ['cra_conseiller_id_date_id_index', '(conseiller_id, date, id)'],
  ['cra_structure_id_date_index', '(structure_id, date)'],
  ['cra_commune_code_date_index', '(commune_code, date)'],
];

export interface GenerateOptions {
  /** Who files; by default ADVISORS advisors in structures of their own (the activity benchmark's data set). */
  advisors?: Advisor[];
  reports?: number;
  seed?: number;
  onProgress?(reports: number, target: number): void;
}

/** Replaces the activity data of the database at `url` with `reports` generated reports; returns how many. */
export async function generateReports(url: string, options: GenerateOptions = {}): Promise<number> {
  const target = options.reports ?? TARGET_REPORTS;
  const orm = await openSubgraphOrm(activity, url, 2);
  await migrate(orm);
  const client = new pg.Client({ connectionString: url });
  handleClientErrors(client, log);
  await client.connect();
  const started = Date.now();
  try {
    await client.query('truncate activity.cra, activity.cra_audit, activity.place_conseiller, activity.place restart identity cascade');
    for (const [name] of INDEXES) await client.query(`drop index if exists activity.${name}`);

    const random = seededRandom(options.seed ?? SEED);
    const advisors = options.advisors ?? buildAdvisors(random);
    const structures = [...new Map(advisors.map((a) => [a.structure.id, a.structure])).values()];
    await client.query(
      `insert into activity.place (id, structure_id, name, is_structure_site, street, postal_code, commune_code, commune_name, departement_code, region_code, opening_hours, access_types, created_at, updated_at)
       select u.id, u.id, 'Lieu ' || u.name, true, 'Place de la Mairie', u.postal, u.code, u.name, u.dep, u.reg,
         '[{"morning":["09:00","12:00"],"afternoon":["14:00","17:00"]},{"morning":["09:00","12:00"],"afternoon":["14:00","17:00"]},{"morning":["09:00","12:00"],"afternoon":null},{"morning":["09:00","12:00"],"afternoon":["14:00","17:00"]},{"morning":["09:00","12:00"],"afternoon":["14:00","17:00"]},{"morning":null,"afternoon":null},{"morning":null,"afternoon":null}]'::jsonb,
         '{LIBRE,RDV}', now(), now()
       from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as u(id, name, postal, code, dep, reg)`,
      [
        structures.map((s) => s.id),
        structures.map((s) => s.commune.nom),
        structures.map((s) => s.commune.codesPostaux?.[0] ?? '00000'),
        structures.map((s) => s.commune.code),
        structures.map((s) => s.commune.departement),
        structures.map((s) => s.commune.region),
      ],
    );
    await client.query(`select setval('activity.place_id_seq', (select max(id) from activity.place))`);
    await client.query(
      `insert into activity.place_conseiller (place_id, conseiller_id, main_place) select u.p, u.c, true from unnest($1::int[], $2::int[]) as u(p, c)`,
      [advisors.map((a) => a.structure.placeId), advisors.map((a) => a.id)],
    );

    // Scale the daily weights so the expected total is the target.
    let totalWeight = 0;
    for (const a of advisors) for (let d = a.start; d <= a.end; d++) totalWeight += dayWeight(a, d);
    const scale = target / totalWeight;
    const communesByDepartement = new Map<string, Commune[]>();
    for (const c of geography().communes)
      communesByDepartement.set(c.departement, [...(communesByDepartement.get(c.departement) ?? []), c]);
    log.info('advisors ready', { advisors: advisors.length, structures: structures.length, scale: scale.toFixed(3) });

    let columns: unknown[][] = COLUMNS.map(() => []);
    let rows = 0;
    let total = 0;
    let pending: Promise<unknown> = Promise.resolve();
    const flush = async () => {
      const batch = columns;
      columns = COLUMNS.map(() => []);
      rows = 0;
      await pending;
      pending = client.query(INSERT, batch);
    };
    for (const advisor of advisors) {
      const nearby = communesByDepartement.get(advisor.structure.commune.departement)!;
      for (let d = advisor.start; d <= advisor.end; d++) {
        // Poisson draw of the day's reports (Knuth; the means are small).
        const mean = dayWeight(advisor, d) * scale;
        let count = -1;
        for (let p = 1, limit = Math.exp(-mean); p > limit; p *= random.next()) count++;
        for (let k = 0; k < count; k++) {
          const atPlace = random.chance(0.8);
          const input = randomCraInput(random, {
            conseillerId: advisor.id,
            structureId: advisor.structure.id,
            commune: atPlace ? advisor.structure.commune : random.pick(nearby),
            placeId: atPlace ? advisor.structure.placeId : null,
            date: isoOf(d),
          });
          const result = validateCra(input, LAST_DAY);
          if (!result.ok) throw new Error(`generated an invalid report: ${JSON.stringify(result.issues)}`);
          COLUMNS.forEach(([, , read], i) => columns[i]!.push(read(result.values)));
          rows++;
          total++;
          if (rows === BATCH) await flush();
        }
      }
      options.onProgress?.(total, target);
      if (!options.onProgress && advisor.id % 500 === 0)
        log.info('progress', { advisors: advisor.id, reports: total, seconds: Math.round((Date.now() - started) / 1000) });
    }
    if (rows > 0) await flush();
    await pending;
    log.info('reports inserted', { reports: total, seconds: Math.round((Date.now() - started) / 1000) });

    await client.query(`set maintenance_work_mem = '1GB'`);
    for (const [name, definition] of INDEXES) await client.query(`create index ${name} on activity.cra ${definition}`);
    log.info('indexes rebuilt', { seconds: Math.round((Date.now() - started) / 1000) });
    await orm.em.fork().transactional(async (tx) => {
      await tx.execute(`set local work_mem = '1GB'`);
      await rebuildAggregates(tx);
    });
    await client.query(
      'vacuum analyze activity.cra, activity.cra_stats_month, activity.cra_stats_territory_month, activity.cra_stats_territory_day, activity.cra_advisor_activity',
    );
    log.info('done', { reports: total, seconds: Math.round((Date.now() - started) / 1000) });
    return total;
  } finally {
    await client.end();
    await orm.close();
  }
}

if (import.meta.main) {
  const url = benchDatabaseUrl();
  await ensureDatabase(url);
  await generateReports(url);
}
