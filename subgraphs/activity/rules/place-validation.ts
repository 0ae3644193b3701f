import type { DayHours, Place } from '../entities/index.js';
import { PLACE_ACCESS_TYPES, type PlaceAccessType } from '../entities/vocabulary.js';
import { communeByCode, type Issue } from './cra-validation.js';

/**
 * The rules of a place of activity (*permanence*, docs/domain.md §1.8), as pure functions: address in a current
 * commune, the seven days' opening hours, access types and the advisors working there. Each problem names its field.
 */

export interface DayHoursInput {
  morningOpens?: string | null;
  morningCloses?: string | null;
  afternoonOpens?: string | null;
  afternoonCloses?: string | null;
}

export interface PlaceInput {
  structureId: string | number;
  name: string;
  isStructureSite?: boolean | null;
  siret?: string | null;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
  streetNumber?: string | null;
  street: string;
  postalCode: string;
  communeCode: string;
  latitude?: number | null;
  longitude?: number | null;
  openingHours: readonly DayHoursInput[];
  accessTypes: readonly PlaceAccessType[];
  conseillers?: readonly { conseillerId: string | number; mainPlace?: boolean | null; itinerant?: boolean | null }[] | null;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** One half-day: both times or neither (closed); opening before closing. */
function halfDay(
  opens: string | null | undefined,
  closes: string | null | undefined,
  field: string,
  issues: Issue[],
): [string, string] | null {
  if (!opens && !closes) return null;
  if (!opens || !closes || !TIME.test(opens) || !TIME.test(closes)) {
    issues.push({ field, message: 'opening and closing times must both be given as HH:MM, or both left out (closed).' });
    return null;
  }
  if (opens >= closes) issues.push({ field, message: `opens at ${opens} but closes at ${closes}.` });
  return [opens, closes];
}

/** The rules of a place of activity, pure; every problem with the field it is about. */
export function validatePlace(input: PlaceInput):
  | {
      ok: true;
      values: Omit<Place, 'id' | 'createdAt' | 'updatedAt'>;
      conseillers: { conseillerId: number; mainPlace: boolean; itinerant: boolean }[];
    }
  | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const structureId = Number(input.structureId);
  if (!Number.isSafeInteger(structureId) || structureId < 1)
    issues.push({ field: 'structureId', message: 'structureId must be a positive integer id.' });
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) issues.push({ field: 'name', message: 'name must have 1 to 200 characters.' });
  if (input.siret != null && !/^\d{14}$/.test(input.siret)) issues.push({ field: 'siret', message: 'siret must be 14 digits.' });
  if (input.phone != null && !/^\+?[\d ]{10,20}$/.test(input.phone))
    issues.push({ field: 'phone', message: 'phone must be a phone number (10 to 20 digits).' });
  if (input.email != null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email))
    issues.push({ field: 'email', message: 'email is not an email address.' });
  if (input.website != null && !/^https?:\/\/\S+$/.test(input.website))
    issues.push({ field: 'website', message: 'website must be an http(s) address.' });
  if (!input.street.trim()) issues.push({ field: 'street', message: 'street is required.' });
  const commune = communeByCode(input.communeCode);
  if (!commune) issues.push({ field: 'communeCode', message: `${input.communeCode} is not the INSEE code of a current commune.` });
  if (!/^\d{5}$/.test(input.postalCode) || (commune?.codesPostaux && !commune.codesPostaux.includes(input.postalCode))) {
    issues.push({ field: 'postalCode', message: 'postalCode must be a postal code of the commune.' });
  }
  if ((input.latitude == null) !== (input.longitude == null))
    issues.push({ field: 'latitude', message: 'latitude and longitude go together.' });
  if (input.latitude != null && (input.latitude < -90 || input.latitude > 90))
    issues.push({ field: 'latitude', message: 'latitude must be within ±90.' });
  if (input.longitude != null && (input.longitude < -180 || input.longitude > 180))
    issues.push({ field: 'longitude', message: 'longitude must be within ±180.' });
  if (input.openingHours.length !== 7)
    issues.push({ field: 'openingHours', message: 'openingHours lists the 7 days of the week, Monday first.' });
  const openingHours: DayHours[] = input.openingHours.map((day, i) => {
    const morning = halfDay(day.morningOpens, day.morningCloses, `openingHours[${i}].morning`, issues);
    const afternoon = halfDay(day.afternoonOpens, day.afternoonCloses, `openingHours[${i}].afternoon`, issues);
    if (morning && afternoon && morning[1] > afternoon[0])
      issues.push({ field: `openingHours[${i}]`, message: 'the morning must end before the afternoon starts.' });
    return { morning, afternoon };
  });
  const accessTypes = [...new Set(input.accessTypes)];
  if (accessTypes.length === 0 || !accessTypes.every((a) => (PLACE_ACCESS_TYPES as readonly string[]).includes(a))) {
    issues.push({ field: 'accessTypes', message: 'at least one access type (LIBRE, RDV, PRIVE) is required.' });
  }
  const conseillers = (input.conseillers ?? []).map((c) => ({
    conseillerId: Number(c.conseillerId),
    mainPlace: c.mainPlace ?? false,
    itinerant: c.itinerant ?? false,
  }));
  if (conseillers.some((c) => !Number.isSafeInteger(c.conseillerId) || c.conseillerId < 1))
    issues.push({ field: 'conseillers', message: 'conseillerId must be a positive integer id.' });
  if (new Set(conseillers.map((c) => c.conseillerId)).size !== conseillers.length)
    issues.push({ field: 'conseillers', message: 'an advisor appears twice.' });
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    conseillers,
    values: {
      structureId,
      name,
      isStructureSite: input.isStructureSite ?? false,
      siret: input.siret ?? null,
      phone: input.phone ?? null,
      email: input.email ?? null,
      website: input.website ?? null,
      streetNumber: input.streetNumber?.trim() || null,
      street: input.street.trim(),
      postalCode: input.postalCode,
      communeCode: commune!.code,
      communeName: commune!.nom,
      departementCode: commune!.departement,
      regionCode: commune!.region,
      latitude: input.latitude ?? null,
      longitude: input.longitude ?? null,
      openingHours,
      accessTypes,
    },
  };
}
