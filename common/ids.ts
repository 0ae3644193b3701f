import { BadUserInputError } from './errors.js';

/** Public ids are positive integers (the programme's `idPG`); GraphQL carries them as `ID` strings. */
export function parseId(value: string | number, field = 'id'): number {
  const id = typeof value === 'number' ? value : /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new BadUserInputError(`"${value}" is not a valid id: expected a positive integer.`, field);
  }
  return id;
}
