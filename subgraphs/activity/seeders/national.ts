/**
 * npm run data:generate:activity -- [--advisors 4000] [--reports 10000000] [--seed 1]
 *
 * A national-scale activity data set in its own database (BENCH_DATABASE_URL, by default `conum_bench_activity` on
 * the local server): ~2,900 structures in real communes, 4,000 advisors recruited from Nov 2020 (most in 2021), some
 * leaving, each filing reports every working day from their start to 15 Nov 2024 (end of CRA v1) with the
 * programme's seasonality (summer and Christmas dips). Every report is a `randomCraInput` that passed `validateCra`
 * (its date within its advisor's employment, its structure the employer's), bulk-inserted with multi-row `unnest`
 * inserts; the aggregates are then rebuilt by the same SQL the write path uses. The bulk load writes no audit
 * entries: it stands for an import, not for users' edits.
 *
 * Who is employed where comes from activity's copy of recruitment's contracts. For its own synthetic advisors the
 * benchmark's data set writes that copy itself, as recruitment would have published it (structures and contracts),
 * so the write path and its rules find the advisors; `data:generate` reads the copy recruitment's events filled
 * (`fromCopy`).
 */
import pg from 'pg';
import { seededRandom, type Random } from '../../../common/demo/random.js';
import { geography, type Commune } from '../../../common/geography.js';
import { createLogger } from '../../../common/logger.js';
import { migrate } from '../../../common/db.js';
import { loadEnv } from '../../../common/env.js';
import { handleClientErrors } from '../../../common/pg-errors.js';
import { openSubgraphOrm } from '../../../common/server.js';
import { activity } from '../index.js';
import { rebuildAggregates } from '../services/aggregates.js';
import { communeByCode, validateCra, type CraValues, type Employment } from '../rules/cra-validation.js';
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

/** A structure as the generator sees it: its commune, and its place of activity (of the same id). */
interface GeneratedStructure {
  id: number;
  commune: Commune;
  placeId: number;
}

/** One employment of an advisor: at which structure, over which days (day numbers, both included). */
interface Job {
  structure: GeneratedStructure;
  start: number;
  end: number;
  /** The same period as the rules see it, handed to `validateCra` (built once per job, not per report). */
  employments: Employment[];
}

/** An advisor as the generator sees it: its employments in order (they do not overlap), and how much it files. */
export interface Advisor {
  id: number;
  jobs: Job[];
  productivity: number;
}

const DAY = 86_400_000;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const isoOf = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
const job = (structure: GeneratedStructure, start: number, end: number): Job => ({
  structure,
  start,
  end,
  employments: [{ structureId: structure.id, from: isoOf(start), until: isoOf(end) }],
});

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
 * The advisors of a shared world (`npm run data:generate`), read from activity's copy of recruitment's contracts and
 * structures that recruitment's events filled: every employment, at its structure's commune, clipped to CRA v1 (from
 * 2020-11-17 to 2024-11-15). Where two employments of an advisor share a day (a renewal starting the day its contract
 * ends), the day is the later one's, as the rules decide (`employerOn`).
 */
export async function advisorsFromCopy(client: pg.Client, seed = SEED): Promise<Advisor[]> {
  const { rows } = await client.query<{
    conseiller_id: number;
    structure_id: number;
    commune_code: string | null;
    from: string;
    until: string | null;
  }>(
    `select c.conseiller_id, c.structure_id, s.commune_code, to_char(c.employed_from, 'YYYY-MM-DD') "from", to_char(c.employed_until, 'YYYY-MM-DD') until
     from activity.recruitment_contract c left join activity.recruitment_structure s on s.structure_id = c.structure_id
     where c.employed_from is not null order by c.conseiller_id, c.employed_from, c.mise_en_relation_id`,
  );
  const random = seededRandom(seed);
  const first = dayNumber(FIRST_DAY);
  const last = dayNumber(LAST_DAY);
  const structures = new Map<number, GeneratedStructure>();
  const advisors = new Map<number, Advisor>();
  for (const row of rows) {
    const commune = row.commune_code ? communeByCode(row.commune_code) : undefined;
    if (!commune)
      throw new Error(
        `activity's copy has no structure ${row.structure_id} in a current commune (employer of advisor ${row.conseiller_id})`,
      );
    let structure = structures.get(row.structure_id);
    if (!structure) structures.set(row.structure_id, (structure = { id: row.structure_id, commune, placeId: row.structure_id }));
    let advisor = advisors.get(row.conseiller_id);
    if (!advisor)
      advisors.set(
        row.conseiller_id,
        (advisor = { id: row.conseiller_id, jobs: [], productivity: random.chance(0.03) ? 0 : 0.3 + random.next() * 1.4 }),
      );
    const start = Math.max(first, dayNumber(row.from));
    const end = Math.min(last, row.until ? dayNumber(row.until) : last);
    const previous = advisor.jobs.at(-1);
    // Sorted by start: a shared day goes to the employment that started last.
    if (previous && previous.end >= start) {
      if (previous.start >= start) advisor.jobs.pop();
      else advisor.jobs[advisor.jobs.length - 1] = job(previous.structure, previous.start, start - 1);
    }
    if (start <= end) advisor.jobs.push(job(structure, start, end));
  }
  return [...advisors.values()].filter((a) => a.jobs.length > 0);
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
    const structure: GeneratedStructure = { id: structureId, commune: pick(), placeId: structureId };
    // Posts per structure: the median is 1, a few networks have many.
    const posts = random.chance(0.75) ? 1 : random.chance(0.8) ? random.int(2, 3) : random.int(4, 12);
    for (let k = 0; k < posts && advisors.length < ADVISORS; k++) {
      // Recruitment: a ramp from Nov 2020, most in 2021, some replacements up to 2023.
      const start = first + Math.floor(random.chance(0.8) ? random.next() * 420 : 420 + random.next() * 800);
      const leaves = random.chance(0.2);
      const end = leaves ? Math.min(last, start + 180 + Math.floor(random.next() * 900)) : last;
      // 3 % never file; others between a light and a heavy filer.
      const productivity = random.chance(0.03) ? 0 : 0.3 + random.next() * 1.4;
      advisors.push({ id: advisors.length + 1, jobs: [job(structure, start, end)], productivity });
    }
  }
  return advisors;
}

/**
 * Writes activity's copy of recruitment's structures and contracts for synthetic advisors, as recruitment's events
 * would have (one validated CDI each, ruptured on the last day for those who leave): the rules of the write path
 * then see them employed as the reports say.
 */
async function writeCopy(client: pg.Client, advisors: Advisor[]): Promise<void> {
  await client.query('truncate activity.recruitment_contract, activity.recruitment_structure');
  const last = dayNumber(LAST_DAY);
  const posts = new Map<number, { structure: GeneratedStructure; advisors: number }>();
  for (const a of advisors)
    for (const j of a.jobs) {
      const entry = posts.get(j.structure.id) ?? { structure: j.structure, advisors: 0 };
      entry.advisors++;
      posts.set(j.structure.id, entry);
    }
  const structures = [...posts.values()];
  await client.query(
    `insert into activity.recruitment_structure (structure_id, name, type, sector, status, network, departement_code, region_code, commune_code,
       advisor_posts, coordinator_posts, phase, is_zrr, is_qpv, sequence, updated_at)
     select u.id, 'Structure ' || u.id, 'COMMUNE', 'PUBLIC', 'VALIDATION_COSELEC', null, u.dep, u.reg, u.code, u.posts, 0, 'PHASE_1', false, false, null, now()
     from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[]) as u(id, dep, reg, code, posts)`,
    [
      structures.map((s) => s.structure.id),
      structures.map((s) => s.structure.commune.departement),
      structures.map((s) => s.structure.commune.region),
      structures.map((s) => s.structure.commune.code),
      structures.map((s) => s.advisors),
    ],
  );
  const jobs = advisors.flatMap((a) => a.jobs.map((j) => ({ advisor: a.id, ...j })));
  await client.query(
    `insert into activity.recruitment_contract (mise_en_relation_id, conseiller_id, structure_id, status, phase, coordinator, contract_type,
       start_date, end_date, gross_monthly_salary_cents, rupture_date, renewal_of_id, employed_from, employed_until, sequence, updated_at)
     select row_number() over (), u.c, u.s, case when u.rupture is null then 'FINALISEE' else 'FINALISEE_RUPTURE' end, 'PHASE_1', false, 'CDI',
       u.start, null, 180000, u.rupture, null, u.start, u.rupture, null, now()
     from unnest($1::int[], $2::int[], $3::date[], $4::date[]) as u(c, s, start, rupture)`,
    [
      jobs.map((j) => j.advisor),
      jobs.map((j) => j.structure.id),
      jobs.map((j) => isoOf(j.start)),
      jobs.map((j) => (j.end < last ? isoOf(j.end) : null)),
    ],
  );
}

/** Expected reports per day of an advisor, before scaling to the target volume. */
function dayWeight(advisor: Advisor, day: number): number {
  const date = new Date(day * DAY);
  const rampUp = Math.min(1, (day - advisor.jobs[0]!.start + 15) / 75);
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
  /**
   * Who files: the employments of activity's copy of recruitment's contracts (`data:generate`, after recruitment's
   * events were delivered); by default ADVISORS synthetic advisors in structures of their own, whose copy is written
   * too (the activity benchmark's data set).
   */
  fromCopy?: boolean;
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
    let advisors: Advisor[];
    if (options.fromCopy) {
      advisors = await advisorsFromCopy(client, options.seed ?? SEED);
      if (advisors.length === 0)
        throw new Error("activity's copy of recruitment's contracts employs nobody during CRA v1: deliver recruitment's events first.");
    } else {
      advisors = buildAdvisors(random);
      await writeCopy(client, advisors);
    }
    const structures = [...new Map(advisors.flatMap((a) => a.jobs.map((j) => [j.structure.id, j.structure] as const))).values()];
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
    // Each advisor at the place of every structure it worked for, its main place the last one.
    const links = advisors.flatMap((a) =>
      [...new Set(a.jobs.map((j) => j.structure.placeId))].map(
        (placeId) => [placeId, a.id, placeId === a.jobs.at(-1)!.structure.placeId] as const,
      ),
    );
    await client.query(
      `insert into activity.place_conseiller (place_id, conseiller_id, main_place) select u.p, u.c, u.m from unnest($1::int[], $2::int[], $3::bool[]) as u(p, c, m)`,
      [links.map((l) => l[0]), links.map((l) => l[1]), links.map((l) => l[2])],
    );

    // Scale the daily weights so the expected total is the target.
    let totalWeight = 0;
    for (const a of advisors) for (const j of a.jobs) for (let d = j.start; d <= j.end; d++) totalWeight += dayWeight(a, d);
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
      for (const { structure, start, end, employments } of advisor.jobs) {
        const nearby = communesByDepartement.get(structure.commune.departement)!;
        for (let d = start; d <= end; d++) {
          // Poisson draw of the day's reports (Knuth; the means are small).
          const mean = dayWeight(advisor, d) * scale;
          let count = -1;
          for (let p = 1, limit = Math.exp(-mean); p > limit; p *= random.next()) count++;
          for (let k = 0; k < count; k++) {
            const atPlace = random.chance(0.8);
            const input = randomCraInput(random, {
              conseillerId: advisor.id,
              commune: atPlace ? structure.commune : random.pick(nearby),
              placeId: atPlace ? structure.placeId : null,
              date: isoOf(d),
            });
            // The job's own period: the rule derives its structure as the write path would.
            const result = validateCra(input, LAST_DAY, employments);
            if (!result.ok) throw new Error(`generated an invalid report: ${JSON.stringify(result.issues)}`);
            COLUMNS.forEach(([, , read], i) => columns[i]!.push(read(result.values)));
            rows++;
            total++;
            if (rows === BATCH) await flush();
          }
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
