import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../../common/viewer.js';
import { visibleConventionsSql } from './access.js';
import { SIGNED_STATUSES } from '../rules/status.js';

/** Funding figures of a structure or a territory (see FundingTotals in the SDL). */
export interface FundingTotals {
  conventionsSigned: number;
  committedCents: number;
  paidCents: number;
  creditNotesCents: number;
  postsGranted: number;
  postsOccupied: number;
}

const NO_FUNDING: FundingTotals = {
  conventionsSigned: 0,
  committedCents: 0,
  paidCents: 0,
  creditNotesCents: 0,
  postsGranted: 0,
  postsOccupied: 0,
};

/** What the totals are grouped by: the agreement's structure, département or région (copied when it was opened). */
const GROUP_COLUMNS = { structure: 'structure_id', departement: 'departement_code', region: 'region_code' } as const;
export type FundingGroup = keyof typeof GROUP_COLUMNS;

/**
 * Funding totals for many structures or territories in ONE statement, whatever their number: signed agreements'
 * committed amounts, paid tranches, credit notes, and posts granted/occupied by running agreements (posts given
 * back, and phase-1 posts superseded by a signed renewal, excluded). A key with no agreement gets zeros.
 * Only the agreements the viewer may read are summed (the subgraph's rule for aggregates, see README): a
 * territory partly or wholly outside the viewer's reach shows the figures of its visible part.
 */
export async function fundingTotals<K extends string | number>(
  em: EntityManager,
  viewer: Viewer,
  { group, keys }: { group: FundingGroup; keys: readonly K[] },
): Promise<Map<K, FundingTotals>> {
  const schema = em.config.get('schema');
  const column = GROUP_COLUMNS[group];
  const visible = visibleConventionsSql(em, viewer, 'cv');
  const rows = await em.execute<
    { key: string | number; signed: string; committed: string; paid: string; credit: string; granted: string; occupied: string }[]
  >(
    `with c as (
       select cv.id, cv.${column} as key, cv.amount_cents, cv.terminated_on from "${schema}"."convention" cv
       where cv.${column} in (${keys.map(() => '?').join(', ')}) and cv.status in (${SIGNED_STATUSES.map(() => '?').join(', ')}) and ${visible.sql}
     )
     select c.key, count(*) as signed, coalesce(sum(c.amount_cents), 0) as committed,
       coalesce(sum(t.paid), 0) as paid, coalesce(sum(n.credit), 0) as credit,
       coalesce(sum(p.granted) filter (where c.terminated_on is null), 0) as granted,
       coalesce(sum(p.occupied) filter (where c.terminated_on is null), 0) as occupied
     from c
     left join (select convention_id, sum(amount_cents) as paid from "${schema}"."tranche"
                where paid_on is not null and convention_id in (select id from c) group by convention_id) t on t.convention_id = c.id
     left join (select convention_id, sum(amount_cents) as credit from "${schema}"."credit_note"
                where convention_id in (select id from c) group by convention_id) n on n.convention_id = c.id
     left join (select convention_id,
                  count(*) filter (where state <> 'RENDU' and not renewed) as granted,
                  count(*) filter (where state = 'OCCUPE' and not renewed) as occupied
                from "${schema}"."post" where convention_id in (select id from c) group by convention_id) p on p.convention_id = c.id
     group by c.key`,
    [...keys, ...SIGNED_STATUSES, ...visible.params],
  );
  const totals = new Map<K, FundingTotals>(keys.map((k) => [k, NO_FUNDING]));
  for (const row of rows) {
    const key = (typeof keys[0] === 'number' ? Number(row.key) : String(row.key)) as K;
    totals.set(key, {
      conventionsSigned: Number(row.signed),
      committedCents: Number(row.committed),
      paidCents: Number(row.paid),
      creditNotesCents: Number(row.credit),
      postsGranted: Number(row.granted),
      postsOccupied: Number(row.occupied),
    });
  }
  return totals;
}
