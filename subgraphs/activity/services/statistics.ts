import type { EntityManager } from '@mikro-orm/postgresql';
import { MEASURES, MEASURE_COLUMNS } from '../entities/measures.js';
import type { Viewer } from '../../../common/viewer.js';
import { splitPeriod, summarise, validateFilter, type CraStatistics, type Row, type StatisticsFilter } from '../rules/statistics.js';
import { reportReach } from './access.js';

/** The dimension a batch of statistics is split by (one result per key), for federated entities. */
export type StatisticsScope = 'conseiller_id' | 'structure_id' | 'departement_code' | 'region_code';

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
  { filter, scope }: { filter: StatisticsFilter; scope?: { by: StatisticsScope; keys: readonly (string | number)[] } },
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
