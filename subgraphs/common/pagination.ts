import { BadUserInputError } from './errors.js';

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
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function isDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function decodePart(part: CursorPart, value: unknown): number | string | Date | undefined {
  switch (part) {
    case 'id':
      return Number.isSafeInteger(value) && (value as number) >= 1 ? (value as number) : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'date':
      return typeof value === 'string' && isDay(value) ? value : undefined;
    case 'datetime': {
      const date = typeof value === 'string' && INSTANT.test(value) ? new Date(value) : undefined;
      return date && !Number.isNaN(date.getTime()) ? date : undefined;
    }
    case 'string':
      // The text is sent to PostgreSQL as a parameter, which cannot hold a NUL.
      return typeof value === 'string' && !value.includes('\0') ? value : undefined;
  }
}

/** Cursors are opaque to clients: base64url of the JSON sort key of the last row seen. */
export function encodeCursor(key: readonly (string | number | Date)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * Reads a cursor back into its sort key, every part checked against the list's key shape, so a forged, truncated
 * or foreign cursor is BAD_USER_INPUT on `field` and never reaches SQL.
 */
export function decodeCursor<const Parts extends readonly CursorPart[]>(cursor: string, parts: Parts, field = 'after'): CursorKey<Parts> {
  let key: unknown;
  if (cursor.length <= MAX_CURSOR_LENGTH && /^[A-Za-z0-9_-]+$/.test(cursor)) {
    try {
      key = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    } catch {
      // malformed: refused below
    }
  }
  if (Array.isArray(key) && key.length === parts.length) {
    const values = parts.map((part, i) => decodePart(part, key[i]));
    if (values.every((v) => v !== undefined)) return values as CursorKey<Parts>;
  }
  throw new BadUserInputError('Invalid cursor: pass back an endCursor this list returned.', field);
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/**
 * Builds a Relay connection from up to `first + 1` rows fetched after the cursor (the extra row tells if more
 * follow); `keyOf` gives a row's sort key, in the order its list decodes it.
 */
export function toConnection<T>(rows: T[], first: number, hasPrevious: boolean, totalCount: number, keyOf: (row: T) => readonly (string | number | Date)[]): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
