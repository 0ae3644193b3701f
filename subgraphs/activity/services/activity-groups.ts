import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import type { Viewer } from '../../../common/viewer.js';
import { CraAdvisorActivity } from '../entities/index.js';
import { reportReach, visibleReports, withFilter } from './access.js';
import { ACTIVE_DAYS, ACTIVITY_GROUPS, newYearOf, type ActivityGroup } from '../rules/activity-groups.js';
import { addDays } from '../../../common/calendar.js';
import { largestRemainderPercentages } from '../rules/percentages.js';

/**
 * First and last report of each advisor (null when they never filed one), in one statement. The row is located by
 * the advisor and the structure and territory of its latest report; outside the viewer's reach it reads as null.
 */
export async function advisorActivities(
  em: EntityManager,
  viewer: Viewer,
  conseillerIds: readonly number[],
): Promise<(CraAdvisorActivity | null)[]> {
  const rows = await em.find(
    CraAdvisorActivity,
    withFilter(
      { conseillerId: { $in: [...conseillerIds] } } as FilterQuery<CraAdvisorActivity>,
      visibleReports<CraAdvisorActivity>(viewer),
    ),
  );
  const byId = new Map(rows.map((r) => [r.conseillerId, r]));
  return conseillerIds.map((id) => byId.get(id) ?? null);
}

export interface ActivityGroupFilter {
  asOf: string;
  /** The advisors to classify (e.g. a structure's advisors, from recruitment): the only way to count NEVER. */
  conseillerIds?: readonly number[] | null;
  structureId?: number | null;
  departementCode?: string | null;
  regionCode?: string | null;
}

/**
 * How many advisors fall in each group. With `conseillerIds`, exactly those advisors; otherwise every advisor who
 * filed a report whose latest report matches the territory or structure (NEVER is then 0: this subgraph only knows
 * advisors through their reports). Only the advisors within the viewer's reach (their latest report) are counted; with
 * `conseillerIds`, NEVER counts the listed advisors who filed no report anywhere.
 */
export async function activityGroupCounts(
  em: EntityManager,
  viewer: Viewer,
  filter: ActivityGroupFilter,
): Promise<{ group: ActivityGroup; count: number; percent: number }[]> {
  if (filter.conseillerIds?.length === 0) return ACTIVITY_GROUPS.map((group) => ({ group, count: 0, percent: 0 }));
  const schema = em.config.get('schema');
  const reach = reportReach(viewer, 'a') ?? { sql: 'true', params: [] };
  const params: unknown[] = [...reach.params];
  const conditions = Object.entries({
    conseiller_id: filter.conseillerIds,
    structure_id: filter.structureId,
    departement_code: filter.departementCode,
    region_code: filter.regionCode,
  })
    .filter(([, value]) => value != null)
    .map(([column, value]) => {
      params.push(value);
      return Array.isArray(value) ? `a.${column} in (?)` : `a.${column} = ?`;
    });
  const [monthAgo, newYear] = [addDays(filter.asOf, -ACTIVE_DAYS), newYearOf(filter.asOf)];
  params.push(monthAgo, monthAgo, newYear, monthAgo, newYear);
  const [row] = await em.execute<{ active: number; inactive: number; none_this_year: number; known: number }[]>(
    `with listed as (select a.last_date, ${reach.sql} as visible from "${schema}"."cra_advisor_activity" a ${conditions.length ? `where ${conditions.join(' and ')}` : ''})
     select count(*) filter (where visible and last_date >= ?)::int active,
            count(*) filter (where visible and last_date < ? and last_date >= ?)::int inactive,
            count(*) filter (where visible and last_date < ? and last_date < ?)::int none_this_year,
            count(*)::int known
     from listed`,
    params,
  );
  const never = filter.conseillerIds ? new Set(filter.conseillerIds).size - row!.known : 0;
  const counts = [row!.active, row!.inactive, never, row!.none_this_year];
  const percents = largestRemainderPercentages(counts);
  return ACTIVITY_GROUPS.map((group, i) => ({ group, count: counts[i]!, percent: percents[i]! }));
}
