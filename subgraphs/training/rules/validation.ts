/** Checks of the values a training step is given (no ORM, no I/O): territory codes, days, free text. */
import { today } from '../../../common/calendar.js';
import { BadUserInputError } from '../../../common/errors.js';
import { geography } from '../../../common/geography.js';

export function assertDepartementCode(code: string, field = 'departementCode'): void {
  if (!geography().departements.some((d) => d.code === code)) throw new BadUserInputError(`"${code}" is not a département code.`, field);
}

export function assertNotFuture(date: string, field: string): void {
  if (date > today()) throw new BadUserInputError(`${date} is in the future.`, field);
}

/** Free text, trimmed; `null` when absent or blank unless required; refused beyond `max` characters. */
export function cleanText(value: string | null | undefined, field: string, options: { max: number; required?: boolean }): string | null {
  const text = value?.trim() ?? '';
  if (!text) {
    if (options.required) throw new BadUserInputError(`${field} is required.`, field);
    return null;
  }
  if (text.length > options.max) throw new BadUserInputError(`${field} is limited to ${options.max} characters.`, field);
  return text;
}
