import { geography, type Commune } from '../../../common/geography.js';
import { isCalendarDay } from '../../../common/scalars.js';
import {
  CRA_REDIRECTION_BODIES,
  CRA_SUB_THEMES,
  CRA_THEMES,
  type CraActivityType,
  type CraChannel,
  type CraDurationBucket,
  type CraRedirectionBody,
  type CraSubTheme,
  type CraTheme,
  type RedirectionCounts,
} from '../entities/vocabulary.js';

/**
 * The rules of a CRA v1 (docs/domain.md §1.9, API1 validationCra.js), as pure functions: no database, so every rule is
 * unit-tested on its own. Each problem names the input field it is about.
 */

export interface CraInput {
  conseillerId: string | number;
  placeId?: string | number | null;
  date: string;
  channel: CraChannel;
  activityType: CraActivityType;
  participants: number;
  recurringParticipants?: number | null;
  ages: { under12: number; from12To18: number; from18To35: number; from35To60: number; over60: number };
  statuses: { etudiant: number; sansEmploi: number; enEmploi: number; retraite: number; heterogene: number };
  themes: readonly CraTheme[];
  subThemes?: readonly CraSubTheme[] | null;
  duration: string;
  followUps?: { individual: number; workshop: number; redirected: number } | null;
  redirections?: readonly { body: CraRedirectionBody; otherName?: string | null; count: number }[] | null;
  communeCode: string;
  postalCode: string;
  annotation?: string | null;
}

export interface Issue {
  field: string;
  message: string;
}

/** A problem of one report of a batch. */
export interface ItemIssue extends Issue {
  /** Position of the report in the batch, from 0. */
  index: number;
}

/** Most reports one batch may file (a month of a busy advisor fits easily). */
export const MAX_BATCH = 500;

/**
 * A period over which a structure employs an advisor, from activity's copy of recruitment's contracts
 * (`RecruitmentContract.employedFrom` / `employedUntil`, both days included; no end: open-ended).
 */
export interface Employment {
  structureId: number;
  from: string;
  until: string | null;
}

/** What a valid input becomes: the report's columns (ids still to be checked against the database for the place). */
export interface CraValues {
  conseillerId: number;
  /** The structure employing the advisor on `date`, derived from its employments. */
  structureId: number;
  placeId: number | null;
  date: string;
  channel: CraChannel;
  activityType: CraActivityType;
  participants: number;
  recurringParticipants: number | null;
  ageUnder12: number;
  ageFrom12To18: number;
  ageFrom18To35: number;
  ageFrom35To60: number;
  ageOver60: number;
  statusEtudiant: number;
  statusSansEmploi: number;
  statusEnEmploi: number;
  statusRetraite: number;
  statusHeterogene: number;
  themes: CraTheme[];
  subThemes: CraSubTheme[];
  duration: string;
  durationMinutes: number;
  durationBucket: CraDurationBucket;
  followupIndividual: number;
  followupWorkshop: number;
  followupRedirected: number;
  redirections: RedirectionCounts;
  redirectionOtherName: string | null;
  communeCode: string;
  postalCode: string;
  communeName: string;
  departementCode: string;
  regionCode: string;
  annotation: string | null;
}

export const FIRST_CRA_DATE = '2020-01-01';
export const MAX_PARTICIPANTS = 100;
export const MAX_THEMES = 20;
/** Longest session accepted: a whole day. */
export const MAX_DURATION_MINUTES = 24 * 60;
export const MAX_ANNOTATION_LENGTH = 1000;
/** Ids are PostgreSQL integers. */
const MAX_ID = 2_147_483_647;

/** The minutes a duration counts for in time totals, and its statistics bucket; null when the value is not valid. */
export function parseDuration(duration: string): { minutes: number; bucket: CraDurationBucket } | null {
  if (duration === '0-30') return { minutes: 30, bucket: 'MINUTES_0_30' };
  if (duration === '30-60') return { minutes: 60, bucket: 'MINUTES_30_60' };
  if (!/^\d{2,4}$/.test(duration)) return null;
  const minutes = Number(duration);
  if (minutes < 60 || minutes > MAX_DURATION_MINUTES) return null;
  return { minutes, bucket: minutes < 120 ? 'MINUTES_60_120' : 'MINUTES_120_PLUS' };
}

let communesByCode: Map<string, Commune> | undefined;
/** A current commune by INSEE code (real geography), or undefined. */
export function communeByCode(code: string): Commune | undefined {
  communesByCode ??= new Map(geography().communes.map((c) => [c.code, c]));
  return communesByCode.get(code);
}

const isCount = (value: number, max = MAX_PARTICIPANTS) => Number.isInteger(value) && value >= 0 && value <= max;

/** A positive PostgreSQL integer id, given as a number or as text; null otherwise. */
export function parseIdValue(value: string | number | null | undefined): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 && n <= MAX_ID ? n : null;
}

const periodText = (e: Employment) => `structure ${e.structureId} from ${e.from} ${e.until ? `to ${e.until}` : 'with no end'}`;

/**
 * The structure employing the advisor on `date` among its `employments`, or why there is none. Should two periods
 * cover the day (a renewal starting the day its contract ends), the one that started last wins, as in
 * `contractsEmployingOn`.
 */
export function employerOn(
  conseillerId: number,
  date: string,
  employments: readonly Employment[],
): { structureId: number } | { message: string } {
  let employer: Employment | undefined;
  for (const e of employments)
    if (e.from <= date && (e.until === null || e.until >= date) && (!employer || e.from > employer.from)) employer = e;
  if (employer) return { structureId: employer.structureId };
  if (employments.length === 0)
    return { message: `advisor ${conseillerId} has no employment contract: only an employed advisor files reports.` };
  const periods = [...employments].sort((a, b) => a.from.localeCompare(b.from)).map(periodText);
  return { message: `advisor ${conseillerId} is not employed on ${date} (employed by ${periods.join('; ')}).` };
}

/**
 * Checks one report. `today` (ISO day) bounds the date: a report cannot be filed for a day still to come.
 * `employments` are its advisor's (every contract of the advisor that employs or employed it): the date must fall in
 * one, whose structure the report goes to. Returns every problem found, or the values to store.
 */
export function validateCra(
  input: CraInput,
  today: string,
  employments: readonly Employment[],
): { ok: true; values: CraValues } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const fail = (field: string, message: string) => issues.push({ field, message });

  const conseillerId = parseIdValue(input.conseillerId);
  if (conseillerId === null) fail('conseillerId', 'conseillerId must be a positive integer id.');
  let structureId: number | null = null;
  const placeId = input.placeId == null ? null : parseIdValue(input.placeId);
  if (input.placeId != null && placeId === null) fail('placeId', 'placeId must be a positive integer id.');

  if (!isCalendarDay(input.date)) fail('date', 'date must be a calendar day (YYYY-MM-DD).');
  else if (input.date < FIRST_CRA_DATE) fail('date', `date must be on or after ${FIRST_CRA_DATE}.`);
  else if (input.date > today) fail('date', 'date cannot be in the future.');
  else if (conseillerId !== null) {
    const employer = employerOn(conseillerId, input.date, employments);
    if ('message' in employer) fail('date', employer.message);
    else structureId = employer.structureId;
  }

  const { participants, activityType } = input;
  if (!Number.isInteger(participants) || participants < 1 || participants > MAX_PARTICIPANTS) {
    fail('participants', `participants must be between 1 and ${MAX_PARTICIPANTS}.`);
  } else if (activityType !== 'COLLECTIF' && participants !== 1) {
    fail('participants', 'participants must be 1 unless the activity is a workshop (COLLECTIF).');
  }
  const recurring = input.recurringParticipants ?? null;
  if (recurring !== null && (!isCount(recurring) || recurring > participants)) {
    fail('recurringParticipants', 'recurringParticipants must be between 0 and participants.');
  }

  const ages = [input.ages.under12, input.ages.from12To18, input.ages.from18To35, input.ages.from35To60, input.ages.over60];
  if (!ages.every((n) => isCount(n))) fail('ages', `each age count must be between 0 and ${MAX_PARTICIPANTS}.`);
  else if (ages.reduce((a, b) => a + b, 0) !== participants) fail('ages', 'the age counts must add up to participants.');
  const statuses = [
    input.statuses.etudiant,
    input.statuses.sansEmploi,
    input.statuses.enEmploi,
    input.statuses.retraite,
    input.statuses.heterogene,
  ];
  if (!statuses.every((n) => isCount(n))) fail('statuses', `each status count must be between 0 and ${MAX_PARTICIPANTS}.`);
  else if (statuses.reduce((a, b) => a + b, 0) !== participants) fail('statuses', 'the status counts must add up to participants.');

  const themes = [...input.themes];
  if (themes.length < 1 || themes.length > MAX_THEMES) fail('themes', `between 1 and ${MAX_THEMES} themes are required.`);
  else if (new Set(themes).size !== themes.length) fail('themes', 'a theme appears twice.');
  else if (!themes.every((t) => (CRA_THEMES as readonly string[]).includes(t))) fail('themes', 'unknown theme.');
  const subThemes = [...(input.subThemes ?? [])];
  if (new Set(subThemes).size !== subThemes.length) fail('subThemes', 'a sub-theme appears twice.');
  for (const sub of subThemes) {
    const parent = CRA_SUB_THEMES[sub];
    if (!parent) fail('subThemes', `unknown sub-theme ${sub}.`);
    else if (!themes.includes(parent)) fail('subThemes', `sub-theme ${sub} requires the theme ${parent}.`);
  }

  const duration = parseDuration(input.duration);
  if (!duration) fail('duration', `duration must be "0-30", "30-60" or a number of minutes from 60 to ${MAX_DURATION_MINUTES}.`);

  const followUps = input.followUps ?? { individual: 0, workshop: 0, redirected: 0 };
  const followUpCounts = [followUps.individual, followUps.workshop, followUps.redirected];
  if (!followUpCounts.every((n) => isCount(n))) fail('followUps', `each follow-up count must be between 0 and ${MAX_PARTICIPANTS}.`);
  else if (followUpCounts.reduce((a, b) => a + b, 0) > participants) fail('followUps', 'follow-ups cannot exceed participants.');

  const redirections: RedirectionCounts = {};
  let redirectionOtherName: string | null = null;
  let redirected = 0;
  for (const r of input.redirections ?? []) {
    if (!(CRA_REDIRECTION_BODIES as readonly string[]).includes(r.body)) fail('redirections', `unknown body ${r.body}.`);
    else if (redirections[r.body] !== undefined) fail('redirections', `${r.body} appears twice.`);
    else if (!Number.isInteger(r.count) || r.count < 1 || r.count > MAX_PARTICIPANTS)
      fail('redirections', `the count for ${r.body} must be between 1 and ${MAX_PARTICIPANTS}.`);
    else {
      redirections[r.body] = r.count;
      redirected += r.count;
    }
    const name = r.otherName?.trim() || null;
    if (r.body === 'AUTRE') {
      if (!name || name.length > 100) fail('redirections', 'a redirection to AUTRE needs otherName (1–100 characters).');
      else redirectionOtherName = name;
    } else if (name) fail('redirections', 'otherName is only for the body AUTRE.');
  }
  if (redirected > 0 && redirected !== followUps.redirected) {
    fail('redirections', 'the redirection counts must add up to followUps.redirected.');
  }

  const commune = communeByCode(input.communeCode);
  if (!commune) fail('communeCode', `${input.communeCode} is not the INSEE code of a current commune.`);
  if (!/^\d{5}$/.test(input.postalCode)) fail('postalCode', 'postalCode must be 5 digits.');
  else if (commune?.codesPostaux && !commune.codesPostaux.includes(input.postalCode)) {
    fail('postalCode', `${input.postalCode} is not a postal code of ${commune.nom}.`);
  }
  const annotation = input.annotation?.trim() || null;
  if (annotation && annotation.length > MAX_ANNOTATION_LENGTH)
    fail('annotation', `annotation is limited to ${MAX_ANNOTATION_LENGTH} characters.`);

  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    values: {
      conseillerId: conseillerId!,
      structureId: structureId!,
      placeId,
      date: input.date,
      channel: input.channel,
      activityType,
      participants,
      recurringParticipants: recurring,
      ageUnder12: input.ages.under12,
      ageFrom12To18: input.ages.from12To18,
      ageFrom18To35: input.ages.from18To35,
      ageFrom35To60: input.ages.from35To60,
      ageOver60: input.ages.over60,
      statusEtudiant: input.statuses.etudiant,
      statusSansEmploi: input.statuses.sansEmploi,
      statusEnEmploi: input.statuses.enEmploi,
      statusRetraite: input.statuses.retraite,
      statusHeterogene: input.statuses.heterogene,
      themes,
      subThemes,
      duration: input.duration,
      durationMinutes: duration!.minutes,
      durationBucket: duration!.bucket,
      followupIndividual: followUps.individual,
      followupWorkshop: followUps.workshop,
      followupRedirected: followUps.redirected,
      redirections,
      redirectionOtherName,
      communeCode: commune!.code,
      postalCode: input.postalCode,
      communeName: commune!.nom,
      departementCode: commune!.departement,
      regionCode: commune!.region,
      annotation,
    },
  };
}
