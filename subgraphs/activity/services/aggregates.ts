import type { EntityManager } from '@mikro-orm/postgresql';
import { MEASURES } from '../entities/measures.js';

/**
 * Keeps the aggregate tables exact inside the transaction that writes reports: +1 after reports are inserted, -1
 * before they are deleted, and both at once when one is edited. The deltas are computed by SQL from the rows
 * themselves, with the same measure expressions the statistics use on raw rows. One statement per table whatever
 * the batch size. Every writer locks aggregate rows table after table and, within a table, in key order (an edit
 * too, its old and new keys in the same statement), so concurrent writers cannot deadlock.
 */
export async function applyAggregates(em: EntityManager, craIds: readonly number[], sign: 1 | -1): Promise<void> {
  if (craIds.length === 0) return;
  const schema = em.config.get('schema')!;
  const source = `select ${sign} as sign, c.* from "${schema}"."cra" c where c.id in (?)`;
  for (const sql of aggregateUpserts(schema, source)) await em.execute(sql, [[...craIds]]);
}

/**
 * Moves an edited report's contribution from its old content (the audit entry's `before`) to its new one (the row
 * as it is now).
 */
export async function moveAggregates(em: EntityManager, auditId: number, craId: number): Promise<void> {
  const schema = em.config.get('schema')!;
  const source = `select -1 as sign, old.* from "${schema}"."cra_audit" a cross join jsonb_populate_record(null::"${schema}"."cra", a.before) old where a.id = ?
    union all select 1, c.* from "${schema}"."cra" c where c.id = ?`;
  for (const sql of aggregateUpserts(schema, source)) await em.execute(sql, [auditId, craId]);
}

/** Rebuilds every aggregate from all the reports (after a bulk load); same SQL as the incremental path. */
export async function rebuildAggregates(em: EntityManager): Promise<void> {
  const schema = em.config.get('schema')!;
  await em.execute(
    `truncate "${schema}"."cra_stats_month", "${schema}"."cra_stats_commune_month", "${schema}"."cra_stats_territory_month", "${schema}"."cra_stats_territory_day", "${schema}"."cra_advisor_activity"`,
  );
  for (const sql of aggregateUpserts(schema, `select 1 as sign, c.* from "${schema}"."cra" c`)) await em.execute(sql);
  await em.execute(advisorActivityUpsert(schema, 'true'));
}

const MONTH = `date_trunc('month', c.date)::date`;
/** Each aggregate table: its key columns (in primary-key order) with how each is computed from `cra c`, and the
 *  territory columns it also carries (functions of the key). */
const TARGETS: { table: string; keys: [string, string][]; extra: string[] }[] = [
  {
    table: 'cra_stats_month',
    keys: [
      ['month', MONTH],
      ['conseiller_id', 'c.conseiller_id'],
      ['structure_id', 'c.structure_id'],
      ['departement_code', 'c.departement_code'],
      ['activity_type', 'c.activity_type'],
    ],
    extra: ['region_code'],
  },
  {
    table: 'cra_stats_commune_month',
    keys: [
      ['commune_code', 'c.commune_code'],
      ['month', MONTH],
      ['activity_type', 'c.activity_type'],
    ],
    extra: ['departement_code', 'region_code'],
  },
  {
    table: 'cra_stats_territory_month',
    keys: [
      ['month', MONTH],
      ['departement_code', 'c.departement_code'],
      ['activity_type', 'c.activity_type'],
    ],
    extra: ['region_code'],
  },
  {
    table: 'cra_stats_territory_day',
    keys: [
      ['day', 'c.date'],
      ['departement_code', 'c.departement_code'],
      ['activity_type', 'c.activity_type'],
    ],
    extra: ['region_code'],
  },
];

/** Refills one aggregate table from all the reports (a migration that changes its key). */
export function rebuildAggregateSql(schema: string, table: string): string {
  const index = TARGETS.findIndex((t) => t.table === table);
  return aggregateUpserts(schema, `select 1 as sign, c.* from "${schema}"."cra" c`)[index]!;
}

/** The upsert of each aggregate table, from `source`: rows of `cra` with a `sign` column (+1 to add, -1 to remove). */
function aggregateUpserts(schema: string, source: string): string[] {
  const columns = MEASURES.map((m) => m.column);
  const sums = MEASURES.map((m) => `sum(c.sign * (${m.sql}))::int`);
  const increments = columns.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ');
  return TARGETS.map(({ table, keys, extra }) => {
    const groupBy = keys.map((_, i) => i + 1).join(', ');
    return `insert into "${schema}"."${table}" as t (${[...keys.map(([k]) => k), ...extra, ...columns].join(', ')})
       select ${[...keys.map(([, sql]) => sql), ...extra.map((e) => `min(c.${e})`), ...sums].join(', ')}
       from (${source}) c group by ${groupBy} order by ${groupBy}
       on conflict (${keys.map(([k]) => k).join(', ')}) do update set ${increments}`;
  });
}

/**
 * Recomputes the first/last report of the given advisors from their reports. An advisory lock per advisor
 * serialises concurrent writers for the same advisor, so the recount (a new snapshot after the lock) sees every
 * committed report.
 */
export async function refreshAdvisorActivity(em: EntityManager, conseillerIds: readonly number[]): Promise<void> {
  if (conseillerIds.length === 0) return;
  const schema = em.config.get('schema')!;
  const ids = [...new Set(conseillerIds)].sort((a, b) => a - b);
  await em.execute(`select pg_advisory_xact_lock(6, id) from unnest(string_to_array(?, ',')::int[]) id order by id`, [ids.join(',')]);
  await em.execute(advisorActivityUpsert(schema, 'conseiller_id in (?)', 'a.conseiller_id in (?)'), [ids, ids]);
}

/** Upserts the first/last report of the advisors matching `where`; with `removeWhere`, drops those left with none. */
function advisorActivityUpsert(schema: string, where: string, removeWhere?: string): string {
  const latest = (column: string) => `(array_agg(${column} order by date desc, id desc))[1]`;
  return `with counted as (
       select conseiller_id, ${latest('structure_id')} structure_id, ${latest('departement_code')} departement_code,
              ${latest('region_code')} region_code, min(date) first_date, max(date) last_date, count(*)::int reports
       from "${schema}"."cra" where ${where} group by conseiller_id)${
         removeWhere
           ? `, removed as (
       delete from "${schema}"."cra_advisor_activity" a where ${removeWhere} and a.conseiller_id not in (select conseiller_id from counted))`
           : ''
       }
     insert into "${schema}"."cra_advisor_activity" as a (conseiller_id, structure_id, departement_code, region_code, first_date, last_date, reports)
     select * from counted order by conseiller_id
     on conflict (conseiller_id) do update set structure_id = excluded.structure_id, departement_code = excluded.departement_code,
       region_code = excluded.region_code, first_date = excluded.first_date, last_date = excluded.last_date, reports = excluded.reports`;
}
