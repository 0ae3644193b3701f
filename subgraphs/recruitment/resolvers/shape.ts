import { parseId } from '../../../common/ids.js';

/** Helpers shared by the resolvers: argument parsing and output shapes. */

/** An optional id argument: null when absent, else a valid public id (BAD_USER_INPUT naming `field`). */
export function parseOptionalId(value: string | null | undefined, field: string): number | null {
  return value == null ? null : parseId(value, field);
}

/** `AuditStamp` from a pair of who/when columns; null when the action has not happened. */
export function stamp(by: string | null | undefined, at: Date | null | undefined): { by: string | null; at: Date } | null {
  return at ? { by: by ?? null, at } : null;
}
