import {
  CRA_AGE_GROUPS,
  CRA_CHANNELS,
  CRA_DURATION_BUCKETS,
  CRA_PUBLIC_STATUSES,
  CRA_REDIRECTION_BODIES,
  CRA_THEMES,
} from './vocabulary.js';

/**
 * The additive measures of a report, shared by every aggregate table. `column` is the column name in the aggregate
 * tables (and, for plain counts, in `cra` too); `sql` computes the measure of one `cra` row aliased `c`. Keeping
 * both in one list is what makes the aggregates and the raw rows agree by construction.
 */
export interface Measure {
  column: string;
  sql: string;
}

const lower = (value: string) => value.toLowerCase();

export const AGE_COLUMNS = CRA_AGE_GROUPS.map((g) => `age_${lower(g)}`);
export const STATUS_COLUMNS = CRA_PUBLIC_STATUSES.map((s) => `status_${lower(s)}`);
export const CHANNEL_COLUMNS = CRA_CHANNELS.map((c) => `channel_${lower(c)}`);
export const DURATION_COLUMNS = CRA_DURATION_BUCKETS.map((d) => `duration_${lower(d)}`);
export const THEME_COLUMNS = CRA_THEMES.map((t) => `theme_${lower(t)}`);
export const REDIRECTION_COLUMNS = CRA_REDIRECTION_BODIES.map((b) => `redirection_${lower(b)}`);

export const MEASURES: readonly Measure[] = [
  { column: 'reports', sql: '1' },
  { column: 'participants', sql: 'c.participants' },
  { column: 'recurring_participants', sql: 'coalesce(c.recurring_participants, 0)' },
  { column: 'duration_minutes', sql: 'c.duration_minutes' },
  { column: 'followup_individual', sql: 'c.followup_individual' },
  { column: 'followup_workshop', sql: 'c.followup_workshop' },
  { column: 'followup_redirected', sql: 'c.followup_redirected' },
  ...CRA_CHANNELS.map((c, i) => ({ column: CHANNEL_COLUMNS[i]!, sql: `(c.channel = '${c}')::int` })),
  ...CRA_DURATION_BUCKETS.map((d, i) => ({ column: DURATION_COLUMNS[i]!, sql: `(c.duration_bucket = '${d}')::int` })),
  ...AGE_COLUMNS.map((column) => ({ column, sql: `c.${column}` })),
  ...STATUS_COLUMNS.map((column) => ({ column, sql: `c.${column}` })),
  ...CRA_THEMES.map((t, i) => ({ column: THEME_COLUMNS[i]!, sql: `('${t}' = any(c.themes))::int` })),
  ...CRA_REDIRECTION_BODIES.map((b, i) => ({ column: REDIRECTION_COLUMNS[i]!, sql: `coalesce((c.redirections ->> '${b}')::int, 0)` })),
];

export const MEASURE_COLUMNS = MEASURES.map((m) => m.column);
