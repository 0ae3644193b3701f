import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { BadUserInputError } from './errors.js';
import { isCalendarDay } from './scalars.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Validates a page size: 1–100, default 20; larger pages are refused, never clamped silently. */
export function pageSize(value: number | null | undefined, field = 'first'): number {
  if (value == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`${field} must be between 1 and ${MAX_PAGE_SIZE}.`, field);
  }
  return value;
}

/**
 * What one column of a sort key holds: `id` a row id (positive integer), `number` any finite number, `date` a
 * calendar day (`YYYY-MM-DD`), `datetime` an ISO instant (decoded as a Date), `string` any text.
 */
export type CursorPart = 'id' | 'number' | 'date' | 'datetime' | 'string';
type PartValue<P extends CursorPart> = P extends 'id' | 'number' ? number : P extends 'datetime' ? Date : string;
export type CursorKey<Parts extends readonly CursorPart[]> = { -readonly [I in keyof Parts]: PartValue<Parts[I]> };

/** A cursor is never longer than this: the longest sort key we encode is a name and an id. */
const MAX_CURSOR_LENGTH = 1024;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function decodePart(part: CursorPart, value: unknown): number | string | Date | undefined {
  switch (part) {
    case 'id':
      return Number.isSafeInteger(value) && (value as number) >= 1 ? (value as number) : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'date':
      return isCalendarDay(value) ? value : undefined;
    case 'datetime': {
      const date = typeof value === 'string' && INSTANT.test(value) ? new Date(value) : undefined;
      return date && !Number.isNaN(date.getTime()) ? date : undefined;
    }
    case 'string':
      // The text is sent to PostgreSQL as a parameter, which cannot hold a NUL.
      return typeof value === 'string' && !value.includes('\0') ? value : undefined;
  }
}

/**
 * Cursors are opaque to clients: base64url of the JSON of the list's sort name then the sort key of a row, so a
 * cursor only pages the list and sort order it came from.
 */
export function encodeCursor(sort: string, key: readonly (string | number | Date)[]): string {
  return Buffer.from(JSON.stringify([sort, ...key])).toString('base64url');
}

/**
 * Reads a cursor back into its sort key, every part checked against the list's key shape and the sort name checked
 * against the list's, so a forged, truncated or foreign cursor (another list or sort order) is BAD_USER_INPUT on
 * `field` and never reaches SQL.
 */
export function decodeCursor<const Parts extends readonly CursorPart[]>(
  cursor: string,
  sort: string,
  parts: Parts,
  field = 'after',
): CursorKey<Parts> {
  let key: unknown;
  if (cursor.length <= MAX_CURSOR_LENGTH && /^[A-Za-z0-9_-]+$/.test(cursor)) {
    try {
      key = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    } catch {
      // malformed: refused below
    }
  }
  if (Array.isArray(key) && key.length === parts.length + 1 && key[0] === sort) {
    const values = parts.map((part, i) => decodePart(part, key[i + 1]));
    if (values.every((v) => v !== undefined)) return values as CursorKey<Parts>;
  }
  throw new BadUserInputError(`Invalid cursor: pass back a cursor this list returned with the same orderBy.`, field);
}

/**
 * The paging arguments of every connection: `first`/`after` pages forwards, `last`/`before` backwards (the rows
 * just before the cursor, still in the list's order).
 */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A checked page request: its size, its direction and the cursor it starts from. */
export interface PageRequest {
  size: number;
  backward: boolean;
  cursor: string | null;
  /** The argument holding the cursor, named in errors. */
  cursorField: 'after' | 'before';
}

/** Checks the paging arguments: one direction only, the page size (1–100, default 20) applied alike to `first` and `last`. */
export function pageRequest(args: PageArgs): PageRequest {
  if (args.first != null && args.last != null) throw new BadUserInputError('Pass first or last, not both.', 'last');
  const backward = args.last != null || args.before != null;
  if (backward && (args.first != null || args.after != null)) {
    throw new BadUserInputError(
      'Page forwards with first/after or backwards with last/before, not both.',
      args.after != null ? 'after' : 'first',
    );
  }
  return backward
    ? { size: pageSize(args.last, 'last'), backward, cursor: args.before ?? null, cursorField: 'before' }
    : { size: pageSize(args.first), backward, cursor: args.after ?? null, cursorField: 'after' };
}

/** The request's cursor decoded against the list's sort, or null on the first (or last) page. */
export function requestKey<const Parts extends readonly CursorPart[]>(
  request: PageRequest,
  sort: string,
  parts: Parts,
): CursorKey<Parts> | null {
  return request.cursor == null ? null : decodeCursor(request.cursor, sort, parts, request.cursorField);
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/**
 * Builds a Relay connection from up to `size + 1` rows read from the cursor in the direction of the request: in the
 * list's order forwards, in reverse order backwards (the page is put back in the list's order). The extra row tells
 * whether more follow in that direction; a cursor means rows lie on its other side (at least the cursor's row).
 * `keyOf` gives a row's sort key, in the order its list decodes it.
 */
export function toConnection<T>(
  rows: T[],
  request: PageRequest,
  sort: string,
  totalCount: number,
  keyOf: (row: T) => readonly (string | number | Date)[],
): Connection<T> {
  const page = rows.slice(0, request.size);
  if (request.backward) page.reverse();
  const more = rows.length > request.size;
  const edges = page.map((node) => ({ cursor: encodeCursor(sort, keyOf(node)), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: request.backward ? request.cursor != null : more,
      hasPreviousPage: request.backward ? more : request.cursor != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

export type Direction = 'ASC' | 'DESC';

/** A list's sort order: one column, never null so the keyset comparison is total, then the id (the tie-break). */
export interface SortSpec<T> {
  /** Entity property sorted on (`id` alone needs no tie-break). */
  property: keyof T & string;
  direction: Direction;
  /** The row's value as the cursor holds it, and how the cursor's copy is checked. */
  valueOf(row: T): string | number | Date;
  part: CursorPart;
}

/** The name a cursor carries for a sort order. */
const sortName = (sort: SortSpec<unknown>) => `${sort.property}:${sort.direction}`;

/**
 * Keyset pagination of an entity list, forwards or backwards, by (sort column, id): two statements per page (rows
 * and total) whatever the page size, and stable when rows are added. `where` already holds the viewer's reach.
 */
export async function keysetPage<T extends { id: number }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  sort: SortSpec<T>,
  args: PageArgs,
): Promise<Connection<T>> {
  const request = pageRequest(args);
  const byId = sort.property === 'id';
  const name = sortName(sort as SortSpec<unknown>);
  // Backwards, the rows before the cursor are read in reverse order, nearest first.
  const ascending = (sort.direction === 'ASC') !== request.backward;
  const op = ascending ? '$gt' : '$lt';
  const order = ascending ? 'asc' : 'desc';
  let pageWhere = where;
  const key = requestKey<CursorPart[]>(request, name, byId ? ['id'] : [sort.part, 'id']);
  if (key) {
    const [value, id] = [key[0], key.at(-1)];
    const keyset = byId
      ? { id: { [op]: id } }
      : { $or: [{ [sort.property]: { [op]: value } }, { [sort.property]: value, id: { [op]: id } }] };
    pageWhere = { $and: [where, keyset] } as FilterQuery<T>;
  }
  const orderBy = byId ? { id: order } : { [sort.property]: order, id: order };
  const [rows, totalCount] = await Promise.all([
    em.find(entity, pageWhere, { orderBy: orderBy as never, limit: request.size + 1 }),
    em.count(entity, where),
  ]);
  return toConnection(rows as T[], request, name, totalCount, (row) => (byId ? [row.id] : [sort.valueOf(row), row.id]));
}

/** The usual sort columns and the cursor part each one's value is. */
export const byId = <T extends { id: number }>(direction: Direction): SortSpec<T> => ({
  property: 'id' as keyof T & string,
  direction,
  valueOf: (row) => row.id,
  part: 'id',
});
const byColumn =
  (part: CursorPart) =>
  <T extends { id: number }>(property: keyof T & string, direction: Direction): SortSpec<T> => ({
    property,
    direction,
    valueOf: (row) => row[property] as string | number | Date,
    part,
  });
export const byString = byColumn('string');
export const byNumber = byColumn('number');
/** A calendar day column (`YYYY-MM-DD` text). */
export const byDate = byColumn('date');
export const byDateTime = byColumn('datetime');

/** A list's `orderBy` argument, as every list declares it in the SDL. */
export interface OrderBy<F extends string> {
  field?: F | null;
  direction?: Direction | null;
}

/**
 * The sort a list's `orderBy` asks for, from the list's table of sortable fields. Without `orderBy` the list's
 * default field and direction apply; with it, the field asked (else the default one) and ascending unless told.
 */
export function sortOf<T, F extends string>(
  orderBy: OrderBy<F> | null | undefined,
  fields: Record<F, (direction: Direction) => SortSpec<T>>,
  defaults: { field: F; direction: Direction },
): SortSpec<T> {
  const direction = orderBy ? (orderBy.direction ?? 'ASC') : defaults.direction;
  return fields[orderBy?.field ?? defaults.field](direction);
}
