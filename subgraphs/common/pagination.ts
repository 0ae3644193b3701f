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

/** Cursors are opaque to clients: base64url of the sort key of the last row seen. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(`c:${key}`).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  if (!decoded.startsWith('c:')) throw new BadUserInputError('Invalid cursor.', field);
  return decoded.slice(2);
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** Builds a Relay connection from up to `first + 1` rows fetched after the cursor (the extra row tells if more follow). */
export function toConnection<T>(rows: T[], first: number, hasPrevious: boolean, totalCount: number, keyOf: (row: T) => string | number): Connection<T> {
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
