import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError } from '../../../common/errors.js';
import {
  AGE_COLUMNS,
  CHANNEL_COLUMNS,
  DURATION_COLUMNS,
  MEASURES,
  MEASURE_COLUMNS,
  REDIRECTION_COLUMNS,
  STATUS_COLUMNS,
  THEME_COLUMNS,
} from '../entities/measures.js';
import {
  CRA_ACTIVITY_TYPES,
  CRA_AGE_GROUPS,
  CRA_CHANNELS,
  CRA_DURATION_BUCKETS,
  CRA_PUBLIC_STATUSES,
  CRA_REDIRECTION_BODIES,
  CRA_THEMES,
  type CraActivityType,
} from '../entities/vocabulary.js';
import { isCalendarDay } from '../../../common/scalars.js';
import type { Viewer } from '../../../common/viewer.js';
import { reportReach } from './access.js';
import { FIRST_CRA_DATE } from './cra-validation.js';
import { largestRemainderPercentages } from './percentages.js';

/** The statistics filters of the tableau de pilotage (domain §4.1): the period is always required. */
export interface StatisticsFilter {
  from: string;
  to: string;
  regionCode?: string | null;
  departementCode?: string | null;
  communeCode?: string | null;
  structureId?: number | null;
  conseillerId?: number | null;
  activityType?: CraActivityType | null;
}

/** The dimension a batch of statistics is split by (one result per key), for federated entities. */
export type StatisticsScope = 'conseiller_id' | 'structure_id' | 'departement_code' | 'region_code';

export interface Share {
  key: string;
  label: string;
  count: number;
  percent: number;
}

export interface CraStatistics {
  from: string;
  to: string;
  totals: {
    reports: number;
    workshops: number;
    workshopParticipants: number;
    individualSupports: number;
    oneOffRequests: number;
    participants: number;
    recurringParticipants: number;
    followUps: { individual: number; workshop: number; redirected: number; total: number };
    /** People with a follow-up per 100 participants, one decimal (*taux total usagers accompagnés*). */
    followUpRate: number;
    minutes: number;
  };
  themes: Share[];
  channels: Share[];
  durations: Share[];
  ages: Share[];
  publicStatuses: Share[];
  redirections: Share[];
  timeByActivityType: Share[];
  activityTypes: Share[];
  monthly: { month: string; reports: number; participants: number }[];
}

/** UI labels of the tableau de pilotage (DASH labelsCorrespondance.json). */
const LABELS = {
  activityTypes: ['Accompagnement individuel', 'Atelier collectif', 'Demande ponctuelle'],
  channels: ["Lieu d'activité", 'Autre lieu', 'À distance', 'À domicile'],
  durations: ['0-30 min', '30-60 min', '1h-2h', 'Plus de 2h'],
  ages: ['-12 ans', '12-18 ans', '18-35 ans', '35-60 ans', '60 ans et plus'],
  publicStatuses: ['Scolarisé(e)', 'Sans emploi', 'En emploi', 'Retraité(e)', 'Non renseigné ou hétérogène'],
  themes: [
    'Prendre en main du matériel',
    'Culture numérique',
    'Naviguer sur Internet',
    'Sécuriser un équipement',
    'Courriels',
    'Échanger avec ses proches',
    'Bureautique',
    'Gestion de contenus numériques',
    'Emploi, formation',
    'Assister un professionnel',
    'Accompagner un aidant',
    'Démarche en ligne',
    'Fraude et harcèlement',
    'Santé',
    'Applications smartphone',
    'Budget',
    'Scolaire',
    'Diagnostic numérique',
    'Autre',
  ],
  redirections: [
    'ANTS',
    'Assistante sociale',
    'CAF',
    'CARSAT',
    'CCAS',
    'CEFS',
    'CIP',
    'CPAM',
    'DGFIP',
    'France Services',
    'Mairie',
    'Médiathèque',
    'Mission locale',
    'Pôle emploi',
    'Préfecture',
    'Sous-préfecture',
    'Service de police',
    'Gendarmerie',
    'Revendeur informatique',
    'Tiers-lieu / Fablab',
    'Autres',
  ],
};

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const monthOf = (day: string) => `${day.slice(0, 7)}-01`;
const nextMonth = (month: string) => {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
};

/**
 * Splits a period into whole months (read from monthly aggregates) and the days at either end that do not make a
 * whole month (read from daily aggregates, or from the reports of a small scope).
 */
export function splitPeriod(from: string, to: string): { months: [string, string] | null; edges: [string, string][] } {
  const firstFull = from.endsWith('-01') ? from : nextMonth(monthOf(from));
  const lastFullEnd = addDays(monthOf(addDays(to, 1)), -1) === to ? to : addDays(monthOf(to), -1);
  if (firstFull > lastFullEnd) return { months: null, edges: [[from, to]] };
  const edges: [string, string][] = [];
  if (from < firstFull) edges.push([from, addDays(firstFull, -1)]);
  if (to > lastFullEnd) edges.push([addDays(lastFullEnd, 1), to]);
  return { months: [firstFull, monthOf(lastFullEnd)], edges };
}

/** The longest period statistics are computed over. */
export const MAX_PERIOD_YEARS = 20;

export function validateFilter(filter: StatisticsFilter): void {
  for (const field of ['from', 'to'] as const) {
    const value = filter[field];
    if (!isCalendarDay(value)) {
      throw new BadUserInputError(`${field} must be a calendar day (YYYY-MM-DD).`, `filter.${field}`);
    }
  }
  if (filter.from > filter.to) throw new BadUserInputError('from must not be after to.', 'filter.from');
  if (filter.from < FIRST_CRA_DATE) throw new BadUserInputError(`from must be on or after ${FIRST_CRA_DATE}.`, 'filter.from');
  // Every month of the period is a point of the series: a period ending in year 9999 is a mistake, not a workload.
  const limit = `${Number(filter.from.slice(0, 4)) + MAX_PERIOD_YEARS}${filter.from.slice(4)}`;
  if (filter.to >= limit) throw new BadUserInputError(`The period must be shorter than ${MAX_PERIOD_YEARS} years.`, 'filter.to');
}

type Row = Record<string, string | number | null>;

/**
 * Where a query reads its whole months from: the territory, advisor or commune aggregates, or ('raw') for advisors
 * or structures narrowed to a place too, their own reports over the period (a few thousand rows per advisor).
 */
type Source = 'territory' | 'advisor' | 'commune' | 'raw';

/** Whether the statistics are about advisors or structures (restricted to the viewer's reach), not only territories (public). */
const aboutAdvisors = (filter: StatisticsFilter, scope?: StatisticsScope) =>
  filter.conseillerId != null || filter.structureId != null || scope === 'conseiller_id' || scope === 'structure_id';

/** Chooses the sources so that every filter given is a column of them. */
function plan(filter: StatisticsFilter, scope?: StatisticsScope): Source {
  const byAdvisor = aboutAdvisors(filter, scope);
  const byPlace =
    filter.communeCode != null ||
    filter.departementCode != null ||
    filter.regionCode != null ||
    scope === 'departement_code' ||
    scope === 'region_code';
  if (byAdvisor && byPlace) return 'raw';
  if (byAdvisor) return 'advisor';
  if (filter.communeCode != null) return 'commune';
  return 'territory';
}

const MONTHLY_TABLE = { territory: 'cra_stats_territory_month', advisor: 'cra_stats_month', commune: 'cra_stats_commune_month' } as const;

/**
 * Statistics for one filter, or one per key of `scope` (e.g. per advisor of a list), in one SQL statement.
 * Never scans reports nationally. Whole months come from the monthly aggregates: per territory, per advisor and
 * structure, or per commune, whichever the filter narrows on; the partial months at the ends from the daily
 * territory aggregates, or from the scope's own reports through their (scope, date) index. The statement returns
 * the sums per activity type and the monthly series, not every (month × type) row.
 *
 * Territorial statistics are public. Statistics about advisors or structures count only the sessions the viewer
 * reaches (services/access.ts): its condition joins the filters of every part of the statement; their sources (the
 * per-advisor aggregates and the reports) carry the advisor, structure, département and région it needs.
 */
export async function craStatistics(
  em: EntityManager,
  viewer: Viewer,
  filter: StatisticsFilter,
  scope?: { by: StatisticsScope; keys: readonly (string | number)[] },
): Promise<Map<string, CraStatistics>> {
  validateFilter(filter);
  const schema = em.config.get('schema');
  const source = plan(filter, scope?.by);
  const restricted = aboutAdvisors(filter, scope?.by);
  const conditions: { column: string; value: string | number }[] = [];
  if (filter.conseillerId != null) conditions.push({ column: 'conseiller_id', value: filter.conseillerId });
  if (filter.structureId != null) conditions.push({ column: 'structure_id', value: filter.structureId });
  if (filter.communeCode != null) conditions.push({ column: 'commune_code', value: filter.communeCode });
  if (filter.departementCode != null) conditions.push({ column: 'departement_code', value: filter.departementCode });
  if (filter.regionCode != null) conditions.push({ column: 'region_code', value: filter.regionCode });
  if (filter.activityType != null) conditions.push({ column: 'activity_type', value: filter.activityType });

  const params: unknown[] = [];
  const where = (alias: string) => {
    const parts = conditions.map(({ column, value }) => {
      params.push(value);
      return `${alias}.${column} = ?`;
    });
    if (scope) {
      params.push([...scope.keys]);
      parts.push(`${alias}.${scope.by} in (?)`);
    }
    const reach = restricted ? reportReach(viewer, alias) : null;
    if (reach) {
      params.push(...reach.params);
      parts.push(reach.sql);
    }
    return parts.length ? ` and ${parts.join(' and ')}` : '';
  };
  const scopeColumn = (alias: string) => (scope ? `${alias}.${scope.by}::text` : `''`);
  const aggregated = (alias: string, time: string) =>
    `select ${scopeColumn(alias)}, ${time}, ${alias}.activity_type, ${MEASURE_COLUMNS.map((c) => `${alias}.${c}`).join(', ')}`;
  const raw = (start: string, end: string) => {
    params.push(start, end);
    return `select ${scopeColumn('c')}, date_trunc('month', c.date)::date, c.activity_type, ${MEASURES.map((m) => m.sql).join(', ')}
      from "${schema}"."cra" c where c.date between ? and ?${where('c')}`;
  };

  const parts: string[] = [];
  if (source === 'raw') parts.push(raw(filter.from, filter.to));
  else {
    const { months, edges } = splitPeriod(filter.from, filter.to);
    if (months) {
      params.push(months[0], months[1]);
      parts.push(`${aggregated('s', 's.month')} from "${schema}"."${MONTHLY_TABLE[source]}" s where s.month between ? and ?${where('s')}`);
    }
    for (const [start, end] of edges) {
      if (source === 'territory') {
        params.push(start, end);
        parts.push(
          `${aggregated('s', `date_trunc('month', s.day)::date`)} from "${schema}"."cra_stats_territory_day" s where s.day between ? and ?${where('s')}`,
        );
      } else parts.push(raw(start, end));
    }
  }
  const sums = MEASURE_COLUMNS.map((c) => `sum(${c})::float8 as ${c}`).join(', ');
  const seriesOnly = MEASURE_COLUMNS.map((c) => (c === 'reports' || c === 'participants' ? `sum(${c})::float8` : 'null')).join(', ');
  const rows = await em.execute<Row[]>(
    `with x (scope, month, activity_type, ${MEASURE_COLUMNS.join(', ')}) as (${parts.map((p) => `(${p})`).join(' union all ')})
     select scope, null as month, activity_type, ${sums} from x group by scope, activity_type
     union all
     select scope, to_char(month, 'YYYY-MM-DD'), null, ${seriesOnly} from x group by scope, month`,
    params,
  );
  const byScope = new Map<string, Row[]>();
  for (const row of rows) {
    const key = String(row.scope);
    if (!byScope.has(key)) byScope.set(key, []);
    byScope.get(key)!.push(row);
  }
  const keys = scope ? scope.keys.map(String) : [''];
  return new Map(keys.map((key) => [key, summarise(filter, byScope.get(key) ?? [])]));
}

/**
 * Turns the sums per activity type (rows without a month) and per month (rows without an activity type) into
 * totals, breakdowns with percentages, and the monthly series.
 */
export function summarise(filter: Pick<StatisticsFilter, 'from' | 'to'>, rows: readonly Row[]): CraStatistics {
  const byType = rows.filter((row) => row.month === null);
  const total = (column: string, type?: CraActivityType) =>
    byType.reduce((sum, row) => sum + (type && row.activity_type !== type ? 0 : Number(row[column] ?? 0)), 0);
  const shares = (keys: readonly string[], labels: readonly string[], counts: number[]): Share[] => {
    const percents = largestRemainderPercentages(counts);
    return keys.map((key, i) => ({ key, label: labels[i]!, count: counts[i]!, percent: percents[i]! }));
  };
  const participants = total('participants');
  const followUps = {
    individual: total('followup_individual'),
    workshop: total('followup_workshop'),
    redirected: total('followup_redirected'),
    total: 0,
  };
  followUps.total = followUps.individual + followUps.workshop + followUps.redirected;

  const monthly = new Map<string, { month: string; reports: number; participants: number }>();
  for (let month = monthOf(filter.from); month <= filter.to; month = nextMonth(month))
    monthly.set(month, { month, reports: 0, participants: 0 });
  for (const row of rows.filter((r) => r.month !== null)) {
    const point = monthly.get(String(row.month))!;
    point.reports += Number(row.reports);
    point.participants += Number(row.participants);
  }
  return {
    from: filter.from,
    to: filter.to,
    totals: {
      reports: total('reports'),
      workshops: total('reports', 'COLLECTIF'),
      workshopParticipants: total('participants', 'COLLECTIF'),
      individualSupports: total('reports', 'INDIVIDUEL'),
      oneOffRequests: total('reports', 'PONCTUEL'),
      participants,
      recurringParticipants: total('recurring_participants'),
      followUps,
      followUpRate: participants === 0 ? 0 : Math.round((followUps.total * 1000) / participants) / 10,
      minutes: total('duration_minutes'),
    },
    themes: shares(
      CRA_THEMES,
      LABELS.themes,
      THEME_COLUMNS.map((c) => total(c)),
    ),
    channels: shares(
      CRA_CHANNELS,
      LABELS.channels,
      CHANNEL_COLUMNS.map((c) => total(c)),
    ),
    durations: shares(
      CRA_DURATION_BUCKETS,
      LABELS.durations,
      DURATION_COLUMNS.map((c) => total(c)),
    ),
    ages: shares(
      CRA_AGE_GROUPS,
      LABELS.ages,
      AGE_COLUMNS.map((c) => total(c)),
    ),
    publicStatuses: shares(
      CRA_PUBLIC_STATUSES,
      LABELS.publicStatuses,
      STATUS_COLUMNS.map((c) => total(c)),
    ),
    redirections: shares(
      CRA_REDIRECTION_BODIES,
      LABELS.redirections,
      REDIRECTION_COLUMNS.map((c) => total(c)),
    ),
    timeByActivityType: shares(
      CRA_ACTIVITY_TYPES,
      LABELS.activityTypes,
      CRA_ACTIVITY_TYPES.map((t) => total('duration_minutes', t)),
    ),
    activityTypes: shares(
      CRA_ACTIVITY_TYPES,
      LABELS.activityTypes,
      CRA_ACTIVITY_TYPES.map((t) => total('reports', t)),
    ),
    monthly: [...monthly.values()],
  };
}
