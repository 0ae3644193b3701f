/** Checks of the values a training step is given (no ORM, no I/O): territory codes, days, free text. */
import { today } from '../../../common/calendar.js';
import { BadUserInputError } from '../../../common/errors.js';
import { geography } from '../../../common/geography.js';

/** The employer and territory stamped on a learner when the advisor enters training. */
export interface Territory {
  structureId: number;
  departementCode: string;
  regionCode: string;
}

/** Checks the codes against the real INSEE départements and régions, and that the département lies in the région. */
export function parseTerritory(input: Territory): Territory {
  const departement = geography().departements.find((d) => d.code === input.departementCode);
  if (!departement) throw new BadUserInputError(`"${input.departementCode}" is not a département code.`, 'departementCode');
  if (departement.region !== input.regionCode) {
    throw new BadUserInputError(
      `Département ${departement.code} lies in région ${departement.region}, not ${input.regionCode}.`,
      'regionCode',
    );
  }
  return { structureId: input.structureId, departementCode: departement.code, regionCode: departement.region };
}

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
