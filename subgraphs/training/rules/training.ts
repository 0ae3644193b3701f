/**
 * The programme's training rules as pure functions (no ORM, no I/O), so each one is unit-tested on its own and
 * shared by the services, the per-territory aggregates and the demo seed. Dates are ISO calendar days
 * (`YYYY-MM-DD`), compared as strings.
 */
import { addMonths } from '../../../common/calendar.js';
import { BadUserInputError, ConflictError, InvalidStatusTransitionError } from '../../../common/errors.js';

// ——— Initial training path ———————————————————————————————————————————————————————————————————————————————————

export const TRAINING_PATH_STATUSES = ['TO_ENROL', 'ENROLLED', 'IN_PROGRESS', 'COMPLETED', 'ABANDONED'] as const;
export type TrainingPathStatus = (typeof TRAINING_PATH_STATUSES)[number];
export const TRAINING_RHYTHMS = ['ALTERNATING', 'CONTINUOUS'] as const;
export type TrainingRhythm = (typeof TRAINING_RHYTHMS)[number];
export const TRAINING_MODALITIES = ['IN_PERSON', 'REMOTE'] as const;
export type TrainingModality = (typeof TRAINING_MODALITIES)[number];
export const TRAINING_CONTRACTS = ['CONTRACT_2021', 'CONTRACT_2024'] as const;
export type TrainingContract = (typeof TRAINING_CONTRACTS)[number];
export type PositioningLevel = 'AVANCE' | 'INTERMEDIAIRE' | 'DEBUTANT';

/** The second public contract (La Fabrik, Francil'In) and its shorter paths start with 2024. */
export const CONTRACT_2024_START = '2024-01-01';

/** Path lengths the positioning test could set, per public contract. */
export const PATH_HOURS: Record<TrainingContract, readonly number[]> = {
  CONTRACT_2021: [105, 280, 350, 420],
  CONTRACT_2024: [70, 175, 315],
};

/** Positioning level behind each 2024 path length; the first contract published no such mapping. */
const LEVEL_BY_2024_HOURS: Record<number, PositioningLevel> = { 70: 'AVANCE', 175: 'INTERMEDIAIRE', 315: 'DEBUTANT' };

/** The public contract a path starting on `startDate` falls under. */
export function contractFor(startDate: string): TrainingContract {
  return startDate < CONTRACT_2024_START ? 'CONTRACT_2021' : 'CONTRACT_2024';
}

export function positioningLevel(hours: number): PositioningLevel | null {
  return LEVEL_BY_2024_HOURS[hours] ?? null;
}

/** Refuses a path length the positioning test of that contract could not have set. */
export function assertPathHours(hours: number, startDate: string, field = 'hours'): void {
  const allowed = PATH_HOURS[contractFor(startDate)];
  if (!allowed.includes(hours)) {
    const period = contractFor(startDate) === 'CONTRACT_2021' ? '2021–2023' : 'from 2024';
    throw new BadUserInputError(`A path starting on ${startDate} lasts ${allowed.join(', ')} hours (${period}), not ${hours}.`, field);
  }
}

/**
 * The path's state machine. Withdrawing from a session sends an enrolled path back to TO_ENROL; COMPLETED and
 * ABANDONED are final.
 */
const NEXT_STATUSES: Record<TrainingPathStatus, readonly TrainingPathStatus[]> = {
  TO_ENROL: ['ENROLLED', 'ABANDONED'],
  ENROLLED: ['TO_ENROL', 'IN_PROGRESS', 'ABANDONED'],
  IN_PROGRESS: ['COMPLETED', 'ABANDONED'],
  COMPLETED: [],
  ABANDONED: [],
};

export function assertPathTransition(from: TrainingPathStatus, to: TrainingPathStatus): void {
  if (!NEXT_STATUSES[from].includes(to)) throw new InvalidStatusTransitionError('TrainingPath', from, to);
}

/** Planned last day before enrolment: 35 training hours a week, from the planned start. */
export function plannedEndDate(startDate: string, hours: number): string {
  const days = Math.ceil(hours / 35) * 7 - 1;
  return new Date(Date.parse(`${startDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A path that still occupies the advisor: another one cannot be opened meanwhile. */
export function isActivePath(status: TrainingPathStatus): boolean {
  return status !== 'ABANDONED';
}

/** Absences are counted in hours of one training day. */
const MAX_ABSENCE_HOURS_PER_DAY = 7;

export function assertAbsenceHours(hours: number): void {
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_ABSENCE_HOURS_PER_DAY) {
    throw new BadUserInputError(`An absence lasts 1 to ${MAX_ABSENCE_HOURS_PER_DAY} hours of a training day.`, 'hours');
  }
}

// ——— Sessions: the 8-learner rule ————————————————————————————————————————————————————————————————————————————

export const SESSION_STATUSES = ['PLANNED', 'CONFIRMED'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Paths that hold a seat in their session. */
export const SEATED_STATUSES = ['ENROLLED', 'IN_PROGRESS', 'COMPLETED'] as const satisfies readonly TrainingPathStatus[];
const MAX_SESSION_CAPACITY = 30;

export function assertSessionCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_SESSION_CAPACITY) {
    throw new BadUserInputError(`Capacity runs from 1 to ${MAX_SESSION_CAPACITY}.`, 'capacity');
  }
}

/** A session runs in person only with at least this many enrolled learners. */
export const MIN_IN_PERSON_LEARNERS = 8;

/** The modality a session actually runs in: in person below 8 learners becomes remote. */
export function effectiveModality(planned: TrainingModality, enrolled: number): TrainingModality {
  return planned === 'IN_PERSON' && enrolled < MIN_IN_PERSON_LEARNERS ? 'REMOTE' : planned;
}

// ——— Certifications ———————————————————————————————————————————————————————————————————————————————————————————

export const CERTIFICATION_TYPES = ['CCP1', 'CCP2', 'CCP3', 'REMN', 'PIX'] as const;
export type CertificationType = (typeof CERTIFICATION_TYPES)[number];
export const CERTIFICATION_RESULTS = ['PASSED', 'FAILED'] as const;
export type CertificationResult = (typeof CERTIFICATION_RESULTS)[number];
export const EXEMPTION_REASONS = ['CCP1_HOLDER', 'REMN_HOLDER', 'CATIC', 'USETIC'] as const;
export type ExemptionReason = (typeof EXEMPTION_REASONS)[number];
export const CERTIFICATION_LEVELS = ['REMN', 'CCP1', 'PIX', 'NONE'] as const;
export type CertificationLevel = (typeof CERTIFICATION_LEVELS)[number];

/** Every advisor sits these two after initial training; CCP2, CCP3 and the full REMN title are optional. */
export const REQUIRED_CERTIFICATIONS: readonly CertificationType[] = ['CCP1', 'PIX'];
/** Months after the end of initial training within which the required certifications are sat. */
export const CERTIFICATION_DEADLINE_MONTHS = 6;
/** Pix certification: each of the three required skills must reach this level (Pix levels run 0–8). */
export const PIX_REQUIRED_LEVEL = 5;
export const PIX_MAX_LEVEL = 8;
export const PIX_SKILLS = [
  'Utilisation du numérique dans la vie professionnelle',
  'Production de ressources',
  'Compétences numériques en lien avec la e-citoyenneté',
] as const;

export function certificationDeadline(trainingEndDate: string): string {
  return addMonths(trainingEndDate, CERTIFICATION_DEADLINE_MONTHS);
}

/** The Pix result follows from the three skill levels; any other count of levels is an input error. */
export function pixResult(levels: readonly number[], field = 'pixSkillLevels'): CertificationResult {
  if (levels.length !== PIX_SKILLS.length)
    throw new BadUserInputError(`A Pix certification has exactly ${PIX_SKILLS.length} skill levels.`, field);
  if (levels.some((l) => !Number.isInteger(l) || l < 0 || l > PIX_MAX_LEVEL)) {
    throw new BadUserInputError(`Pix skill levels run from 0 to ${PIX_MAX_LEVEL}.`, field);
  }
  return levels.every((l) => l >= PIX_REQUIRED_LEVEL) ? 'PASSED' : 'FAILED';
}

/** The result of a sitting: given for a CCP or REMN exam, following from the three skill levels for Pix. */
export function sittingResult(sitting: {
  type: CertificationType;
  result?: CertificationResult | null;
  pixSkillLevels?: readonly number[] | null;
}): CertificationResult {
  if (sitting.type === 'PIX') {
    if (sitting.result) throw new BadUserInputError('The Pix result follows from the skill levels: omit `result`.', 'result');
    return pixResult(sitting.pixSkillLevels ?? []);
  }
  if (sitting.pixSkillLevels) throw new BadUserInputError('Skill levels belong to Pix certifications only.', 'pixSkillLevels');
  if (!sitting.result) throw new BadUserInputError(`The result of a ${sitting.type} exam is required.`, 'result');
  return sitting.result;
}

export interface Attempt {
  type: CertificationType;
  result: CertificationResult;
  date: string;
}

/**
 * A new attempt (first sitting or retake) is refused once that certification is passed, and must come after
 * the previous attempt. Returns the attempt number.
 */
export function nextAttemptNumber(type: CertificationType, date: string, previous: readonly Attempt[]): number {
  const sameType = previous.filter((a) => a.type === type);
  if (sameType.some((a) => a.result === 'PASSED')) {
    throw new ConflictError(`${type} is already passed: no retake.`, { field: 'type' });
  }
  const last = sameType
    .map((a) => a.date)
    .sort()
    .at(-1);
  if (last && date <= last) throw new BadUserInputError(`A retake must come after the previous attempt (${last}).`, 'date');
  return sameType.length + 1;
}

/** What an exemption already grants: holding the CCP1 or the whole title counts as that certification. */
function exemptionCertificates(reason: ExemptionReason | null): CertificationType[] {
  if (reason === 'REMN_HOLDER') return ['REMN', 'CCP1'];
  if (reason === 'CCP1_HOLDER') return ['CCP1'];
  return [];
}

export function passedCertifications(attempts: readonly Attempt[], exemption: ExemptionReason | null): Set<CertificationType> {
  const passed = new Set<CertificationType>(exemptionCertificates(exemption));
  for (const a of attempts) if (a.result === 'PASSED') passed.add(a.type);
  // The full title is its three CCPs.
  if (passed.has('REMN')) passed.add('CCP1');
  return passed;
}

/** The level the managers' suite filters on: REMN (the title, or CCP2 with CCP3), else CCP1, else PIX, else none. */
export function certificationLevel(passed: ReadonlySet<CertificationType>): CertificationLevel {
  if (passed.has('REMN') || (passed.has('CCP2') && passed.has('CCP3'))) return 'REMN';
  if (passed.has('CCP1')) return 'CCP1';
  if (passed.has('PIX')) return 'PIX';
  return 'NONE';
}

export interface CertificationProgress {
  /** Six months after the end of initial training; null before it is completed, or when exempted from it. */
  deadline: string | null;
  /** Required certifications not passed yet. */
  missing: CertificationType[];
  /** Past the deadline with a required certification still missing. */
  overdue: boolean;
}

export function certificationProgress(input: {
  trainingEndDate: string | null;
  passed: ReadonlySet<CertificationType>;
  asOf: string;
}): CertificationProgress {
  const deadline = input.trainingEndDate ? certificationDeadline(input.trainingEndDate) : null;
  const missing = REQUIRED_CERTIFICATIONS.filter((t) => !input.passed.has(t));
  return { deadline, missing, overdue: deadline !== null && missing.length > 0 && input.asOf > deadline };
}

// ——— Continuing education (thematic modules) ——————————————————————————————————————————————————————————————————

export const MODULE_REGISTRATION_STATUSES = ['REGISTERED', 'ATTENDED', 'ABSENT'] as const;
export type ModuleRegistrationStatus = (typeof MODULE_REGISTRATION_STATUSES)[number];

/** Thematic modules exist from 2024: no advisor owes one for an earlier period. */
export const MODULES_START = '2024-01-01';
export const FIRST_YEAR_MODULES = 2;
export const YEARLY_MODULES = 1;

export interface ModuleObligation {
  /** `FIRST_YEAR` (the 12 months after entering initial training) or `CALENDAR_YEAR`. */
  period: 'FIRST_YEAR' | 'CALENDAR_YEAR';
  from: string;
  /** Last day of the period: the obligation is late from the next day. */
  until: string;
  required: number;
  done: number;
  late: boolean;
}

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * Two modules within the year after entering initial training (when that was in 2024 or later), then one per
 * calendar year that starts after that first year (from 2024 for earlier entrants). A module counts for the
 * period its date falls in. Periods that have not started by `asOf` are not listed.
 */
export function moduleObligations(input: { entryDate: string; moduleDates: readonly string[]; asOf: string }): ModuleObligation[] {
  const { entryDate, moduleDates, asOf } = input;
  const obligation = (period: ModuleObligation['period'], from: string, until: string, required: number): ModuleObligation => {
    const done = moduleDates.filter((d) => d >= from && d <= until).length;
    return { period, from, until, required, done, late: asOf > until && done < required };
  };
  const result: ModuleObligation[] = [];
  let yearlyFrom = MODULES_START;
  if (entryDate >= MODULES_START) {
    const firstYearEnd = addMonths(entryDate, 12);
    if (entryDate <= asOf) result.push(obligation('FIRST_YEAR', entryDate, dayBefore(firstYearEnd), FIRST_YEAR_MODULES));
    yearlyFrom = firstYearEnd;
  }
  const [fromYear, month, day] = yearlyFrom.split('-').map(Number) as [number, number, number];
  // The first calendar year that starts on or after the first year ends.
  for (let year = month === 1 && day === 1 ? fromYear : fromYear + 1; `${year}-01-01` <= asOf; year++) {
    result.push(obligation('CALENDAR_YEAR', `${year}-01-01`, `${year}-12-31`, YEARLY_MODULES));
  }
  return result;
}
