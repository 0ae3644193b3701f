import type { EntityManager } from '@mikro-orm/postgresql';
import { raw, type EntityName, type FilterQuery } from '@mikro-orm/core';
import { BadUserInputError } from '../../../common/errors.js';

/** Rows per status for the dashboard tabs, in one GROUP BY; every status listed, zeros included. */
export async function countByStatus<T extends object, S extends string>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  statuses: readonly S[],
): Promise<{ status: S; count: number }[]> {
  const rows = (await em
    .createQueryBuilder(entity, 'e')
    .select(['e.status', raw('count(*)::int as count')] as never)
    .where(where as never)
    .groupBy('e.status' as never)
    .execute('all', false)) as { status: S; count: number }[];
  const counts = new Map(rows.map((r) => [r.status, Number(r.count)]));
  return statuses.map((status) => ({ status, count: counts.get(status) ?? 0 }));
}

/** Accented letters and their plain forms, applied alike to the column (SQL `translate`) and to the text searched. */
const ACCENTED = 'àâäáãåçéèêëíìîïñóòôöõúùûüýÿ';
const PLAIN = 'aaaaaaceeeeiiiinooooouuuuyy';
const fold = (text: string) => [...text.toLowerCase()].map((c) => PLAIN[ACCENTED.indexOf(c)] ?? c).join('');

/**
 * "The column contains the text", whatever the case and accents (`Emmaus` finds `Emmaüs`, `helene` finds `Hélène`),
 * with the text's pattern characters escaped. `column` is the database column, qualified by the query's alias.
 */
export function containsText(column: string, text: string): Record<symbol, { $like: string }> {
  const pattern = `%${fold(text.trim()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return { [raw((alias: string) => `translate(lower(${alias}.${column}), '${ACCENTED}', '${PLAIN}')`)]: { $like: pattern } };
}

/**
 * A day range on a timestamp column, both ends included (UTC days), or undefined when neither end is given;
 * `from` after `to` is BAD_USER_INPUT on `field`.
 */
export function dayRange(
  from: string | null | undefined,
  to: string | null | undefined,
  field: string,
): { $gte?: Date; $lt?: Date } | undefined {
  if (!from && !to) return undefined;
  if (from && to && from > to) throw new BadUserInputError('The range starts after it ends.', field);
  const range: { $gte?: Date; $lt?: Date } = {};
  if (from) range.$gte = new Date(`${from}T00:00:00Z`);
  if (to) range.$lt = new Date(new Date(`${to}T00:00:00Z`).getTime() + 86_400_000);
  return range;
}
