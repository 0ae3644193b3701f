import type { EntityManager } from '@mikro-orm/postgresql';
import type { Mismatch } from '../../common/consistency.js';

/**
 * What activity promises of recruitment's facts (`npm run check:consistency`): every report was filed by an advisor
 * employed by its structure on its day. Checked in one statement against activity's copy of the contracts, which
 * the check compares with recruitment's own beforehand (common/consistency.ts `compareCopies`): the reports may
 * number millions.
 */
export async function activityConsistency(em: EntityManager): Promise<Mismatch[]> {
  const schema = em.config.get('schema') as string;
  const rows = await em.execute<{ id: number; conseiller_id: number; structure_id: number; date: string }[]>(
    `select c.id, c.conseiller_id, c.structure_id, to_char(c.date, 'YYYY-MM-DD') as date from "${schema}"."cra" c
      where not exists (select 1 from "${schema}"."recruitment_contract" k where k.conseiller_id = c.conseiller_id
        and k.structure_id = c.structure_id and k.employed_from <= c.date and (k.employed_until is null or k.employed_until >= c.date))
      order by c.id limit 1000`,
  );
  return rows.map((r) => ({
    owner: 'recruitment',
    copy: 'activity',
    fact: 'report',
    id: r.id,
    detail: `advisor ${r.conseiller_id} was not employed by structure ${r.structure_id} on ${r.date}`,
  }));
}
