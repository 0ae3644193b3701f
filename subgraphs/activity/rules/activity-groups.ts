import { addDays } from '../../../common/calendar.js';

/**
 * The tableau de pilotage's CRA activity groups (`groupeCRA`, docs/domain.md §4.1): ACTIVE (groups 0–2), no report for 30
 * days (3), NEVER filed one (4), none this year (5, when the last one is also older than 30 days).
 */
export const ACTIVITY_GROUPS = ['ACTIVE', 'INACTIVE_30_DAYS', 'NEVER', 'NONE_THIS_YEAR'] as const;
export type ActivityGroup = (typeof ACTIVITY_GROUPS)[number];

/** Days without a report after which an advisor is no longer ACTIVE. */
export const ACTIVE_DAYS = 30;

/** The first day of `asOf`'s year: an advisor whose last report is older files none this year. */
export const newYearOf = (asOf: string): string => `${asOf.slice(0, 4)}-01-01`;

/** The group of an advisor whose latest report is on `lastDate` (none: null), on day `asOf`. */
export function activityGroup(lastDate: string | null | undefined, asOf: string): ActivityGroup {
  if (!lastDate) return 'NEVER';
  if (lastDate >= addDays(asOf, -ACTIVE_DAYS)) return 'ACTIVE';
  return lastDate < newYearOf(asOf) ? 'NONE_THIS_YEAR' : 'INACTIVE_30_DAYS';
}
