import { BadUserInputError } from '../../../common/errors.js';
import { isCalendarDay } from '../../../common/scalars.js';
import {
  AGE_COLUMNS,
  CHANNEL_COLUMNS,
  DURATION_COLUMNS,
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
import { FIRST_CRA_DATE } from './cra-validation.js';
import { addDays, monthOf, nextMonth } from '../../../common/calendar.js';
import { largestRemainderPercentages } from './percentages.js';

/**
 * The pure side of the dashboards' statistics (docs/domain.md §4.1): the filter's rules, how a period splits into
 * whole months and edge days, and how sums become totals, breakdowns with percentages and the monthly series.
 */

/** The statistics filters of the tableau de pilotage (docs/domain.md §4.1): the period is always required. */
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

/** One row of the statistics statement: sums per activity type, or per month. */
export type Row = Record<string, string | number | null>;

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
