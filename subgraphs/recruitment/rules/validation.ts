import { today } from '../../../common/calendar.js';
import { BadUserInputError } from '../../../common/errors.js';
import { luhnValid } from '../../../common/luhn.js';
import { isCalendarDay } from '../../../common/scalars.js';
import { communeInfo, type CommuneInfo } from './geography.js';

/** Input checks shared by the workflow services; each failure names the offending field. */

export function requireText(value: string | null | undefined, field: string, { min = 1, max = 255 } = {}): string {
  const text = value?.trim() ?? '';
  if (text.length < min || text.length > max) {
    throw new BadUserInputError(
      min > 1 ? `${field} must be ${min}–${max} characters long.` : `${field} is required (at most ${max} characters).`,
      field,
    );
  }
  return text;
}

export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value == null || value.trim() === '') return null;
  if (value.length > max) throw new BadUserInputError(`${field} must be at most ${max} characters long.`, field);
  return value.trim();
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
export function requireEmail(value: string, field: string): string {
  const email = value.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 255) throw new BadUserInputError(`${field} is not a valid e-mail address.`, field);
  return email;
}

/** 10 digits (French format), or + and a country code: the legacy schema's rule. */
export function requirePhone(value: string, field: string): string {
  const phone = value.replace(/[\s.-]/g, '');
  if (!/^(0\d{9}|\+\d{7,15})$/.test(phone)) throw new BadUserInputError(`${field} must be 10 digits, or + and a country code.`, field);
  return phone;
}

/** La Poste's SIREN: many of its establishments (post offices) fail the Luhn key; theirs is a sum of digits divisible by 5. */
const LA_POSTE_SIREN = '356000000';

export function siretValid(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (luhnValid(siret)) return true;
  return siret.startsWith(LA_POSTE_SIREN) && [...siret].reduce((sum, d) => sum + Number(d), 0) % 5 === 0;
}

export function requireSiret(value: string, field: string): string {
  const siret = value.replace(/\s/g, '');
  if (!/^\d{14}$/.test(siret)) throw new BadUserInputError('A SIRET has 14 digits.', field);
  if (!siretValid(siret)) throw new BadUserInputError('This SIRET fails its check digit (Luhn).', field);
  return siret;
}

export function requireRidet(value: string, field: string): string {
  const ridet = value.trim().toUpperCase();
  if (!/^\d{7}$/.test(ridet)) throw new BadUserInputError('A RIDET has 7 digits.', field);
  return ridet;
}

export function requireCommune(code: string, field: string): CommuneInfo {
  const commune = communeInfo(code.trim());
  if (!commune) throw new BadUserInputError(`No current French commune has the INSEE code "${code}".`, field);
  return commune;
}

export function requirePostalCode(value: string | null | undefined, commune: CommuneInfo, field: string): string | null {
  if (value == null || value === '') return commune.postalCodes[0] ?? null;
  if (!/^\d{5}$/.test(value)) throw new BadUserInputError('A postal code has 5 digits.', field);
  if (commune.postalCodes.length > 0 && !commune.postalCodes.includes(value)) {
    throw new BadUserInputError(`${value} is not a postal code of ${commune.name}.`, field);
  }
  return value;
}

export function requireDate(value: string, field: string): string {
  if (!isCalendarDay(value)) throw new BadUserInputError(`${field} must be a date (YYYY-MM-DD).`, field);
  return value;
}

export function requireFutureDate(value: string, field: string): string {
  if (requireDate(value, field) < today()) throw new BadUserInputError(`${field} must be today or later.`, field);
  return value;
}

export function requireCount(value: number, field: string, { min = 1, max = 1000 } = {}): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new BadUserInputError(`${field} must be an integer between ${min} and ${max}.`, field);
  return value;
}

/** Prefecture comments: 10 to 1,000 characters (legacy `commentairePrefet`). */
export function requireComment(value: string, field: string): string {
  return requireText(value, field, { min: 10, max: 1000 });
}
