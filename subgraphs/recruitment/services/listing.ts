import type { EntityManager } from '@mikro-orm/postgresql';
import { raw, type EntityName, type FilterQuery } from '@mikro-orm/core';
import { BadUserInputError } from '../../common/errors.js';
import { decodeCursor, pageSize, toConnection, type Connection, type CursorPart } from '../../common/pagination.js';

/**
 * Keyset pagination for the dashboard lists: rows ordered by (sort field, id), the cursor holds the last row's
 * pair. Two statements per page (rows + total) whatever the page size, and stable when rows are added.
 */
export type Direction = 'ASC' | 'DESC';
export interface SortSpec<T> {
  /** Entity property sorted on (never null, so the keyset comparison is total). */
  property: keyof T & string;
  direction: Direction;
  /** The row's value as the cursor holds it, and how the cursor's copy is checked. */
  valueOf(row: T): string | number | Date;
  part: CursorPart;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export async function keysetPage<T extends { id: number }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  sort: SortSpec<T>,
  args: PageArgs,
): Promise<Connection<T>> {
  const first = pageSize(args.first);
  const op = sort.direction === 'ASC' ? '$gt' : '$lt';
  let pageWhere = where;
  if (args.after) {
    const [parsed, id] = decodeCursor(args.after, [sort.part, 'id']);
    const keyset =
      sort.property === 'id'
        ? { id: { [op]: id } }
        : { $or: [{ [sort.property]: { [op]: parsed } }, { [sort.property]: parsed, id: { [op]: id } }] };
    pageWhere = { $and: [where, keyset] } as FilterQuery<T>;
  }
  const order = sort.direction === 'ASC' ? 'asc' : 'desc';
  const orderBy = sort.property === 'id' ? { id: order } : { [sort.property]: order, id: order };
  const [rows, totalCount] = await Promise.all([
    em.find(entity, pageWhere, { orderBy: orderBy as never, limit: first + 1 }),
    em.count(entity, where),
  ]);
  return toConnection(rows, first, Boolean(args.after), totalCount, (row) => [sort.valueOf(row), row.id]);
}

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

/** The common sort fields and the cursor part each one's value is. */
export const byId = <T extends { id: number }>(direction: Direction): SortSpec<T> => ({
  property: 'id' as keyof T & string,
  direction,
  valueOf: (row) => row.id,
  part: 'id',
});
export const byString = <T extends { id: number }>(property: keyof T & string, direction: Direction): SortSpec<T> => ({
  property,
  direction,
  valueOf: (row) => row[property] as string,
  part: 'string',
});
export const byNumber = <T extends { id: number }>(property: keyof T & string, direction: Direction): SortSpec<T> => ({
  property,
  direction,
  valueOf: (row) => row[property] as number,
  part: 'number',
});
export const byDateTime = <T extends { id: number }>(property: keyof T & string, direction: Direction): SortSpec<T> => ({
  property,
  direction,
  valueOf: (row) => row[property] as Date,
  part: 'datetime',
});

/**
 * A day range on a timestamp column, both ends included (UTC days), or undefined when neither end is given;
 * `from` after `to` is BAD_USER_INPUT on `field`.
 */
export function dayRange(from: string | null | undefined, to: string | null | undefined, field: string): { $gte?: Date; $lt?: Date } | undefined {
  if (!from && !to) return undefined;
  if (from && to && from > to) throw new BadUserInputError('The range starts after it ends.', field);
  const range: { $gte?: Date; $lt?: Date } = {};
  if (from) range.$gte = new Date(`${from}T00:00:00Z`);
  if (to) range.$lt = new Date(new Date(`${to}T00:00:00Z`).getTime() + 86_400_000);
  return range;
}
