import type { EntityManager } from '@mikro-orm/postgresql';
import { Cra } from '../entities/index.js';

/**
 * The latest `last` reports of each advisor, in one statement for all of them (a window per advisor), so a
 * list of advisors never costs one query each.
 */
export async function latestCrasByConseiller(em: EntityManager, conseillerIds: readonly number[], last: number): Promise<Map<number, Cra[]>> {
  const meta = em.getMetadata().get(Cra);
  const table = `"${em.config.get('schema')}"."${meta.tableName}"`;
  const rows = await em.execute<Record<string, unknown>[]>(
    `select * from (select c.*, row_number() over (partition by c.conseiller_id order by c.date desc, c.id desc) as rank
       from ${table} c where c.conseiller_id in (?)) ranked where rank <= ? order by conseiller_id, date desc, id desc`,
    [[...conseillerIds], last],
  );
  const byConseiller = new Map<number, Cra[]>(conseillerIds.map((id) => [id, []]));
  for (const row of rows) {
    const { rank: _rank, ...columns } = row;
    const cra = em.map(Cra, columns);
    byConseiller.get(cra.conseillerId)?.push(cra);
  }
  return byConseiller;
}
