/**
 * What the training rules say about an advisor, from the rows training holds on them (no ORM, no I/O): the current
 * path, the certification level and progress, the continuing-education obligations, and the figures of a
 * territory. The same functions serve the per-advisor fields, the follow-up list and the aggregates.
 */
import {
  CERTIFICATION_LEVELS,
  certificationLevel,
  certificationProgress,
  isActivePath,
  moduleObligations,
  passedCertifications,
  type CertificationLevel,
  type CertificationProgress,
  type CertificationResult,
  type CertificationType,
  type ExemptionReason,
  type ModuleObligation,
  type ModuleRegistrationStatus,
  type TrainingPathStatus,
} from './training.js';

/** The columns the rules read, so aggregates can load plain rows instead of entities. */
export interface LearnerRow {
  conseillerId: number;
  structureId: number;
  departementCode: string;
  regionCode: string;
  entryDate: string;
  exemptionReason?: ExemptionReason | null;
}
export interface PathRow {
  id: number;
  conseillerId: number;
  status: TrainingPathStatus;
  startDate: string;
  endDate: string;
}
export interface AttemptRow {
  conseillerId: number;
  type: CertificationType;
  result: CertificationResult;
  date: string;
}
export interface RegistrationRow {
  conseillerId: number;
  date: string;
  status: ModuleRegistrationStatus;
}

/** Everything training holds on one advisor; `P` is an entity for per-advisor fields, a plain row for aggregates. */
export interface AdvisorFacts<P extends PathRow = PathRow, L extends LearnerRow = LearnerRow> {
  conseillerId: number;
  learner: L | null;
  /** Oldest first. */
  paths: P[];
  attempts: AttemptRow[];
  registrations: RegistrationRow[];
}

export function groupFacts<P extends PathRow, L extends LearnerRow>(
  ids: readonly number[],
  learners: readonly L[],
  paths: P[],
  attempts: AttemptRow[],
  registrations: RegistrationRow[],
) {
  const facts = new Map<number, AdvisorFacts<P, L>>(
    ids.map((id) => [id, { conseillerId: id, learner: null, paths: [], attempts: [], registrations: [] }]),
  );
  for (const l of learners) if (facts.has(l.conseillerId)) facts.get(l.conseillerId)!.learner = l;
  for (const f of paths) facts.get(f.conseillerId)?.paths.push(f);
  for (const a of attempts) facts.get(a.conseillerId)?.attempts.push(a);
  for (const r of registrations) facts.get(r.conseillerId)?.registrations.push(r);
  return facts;
}

/** What the rules say about one advisor on a given day. */
export interface AdvisorState<P extends PathRow = PathRow> {
  currentPath: P | null;
  level: CertificationLevel;
  certification: CertificationProgress;
  /** Null for an advisor who never entered training. */
  continuingEducation: { obligations: ModuleObligation[]; late: boolean } | null;
}

export function advisorState<P extends PathRow>(facts: AdvisorFacts<P>, asOf: string): AdvisorState<P> {
  const currentPath = facts.paths.filter((f) => isActivePath(f.status)).at(-1) ?? null;
  const passed = passedCertifications(facts.attempts, facts.learner?.exemptionReason ?? null);
  const trainingEndDate = currentPath?.status === 'COMPLETED' ? currentPath.endDate : null;
  let continuingEducation: AdvisorState<P>['continuingEducation'] = null;
  if (facts.learner) {
    const moduleDates = facts.registrations.filter((r) => r.status !== 'ABSENT').map((r) => r.date);
    const obligations = moduleObligations({ entryDate: facts.learner.entryDate, moduleDates, asOf });
    continuingEducation = { obligations, late: obligations.some((o) => o.late) };
  }
  return {
    currentPath,
    level: certificationLevel(passed),
    certification: certificationProgress({ trainingEndDate, passed, asOf }),
    continuingEducation,
  };
}

export interface TrainingSummary {
  advisors: number;
  toEnrol: number;
  inTraining: number;
  trained: number;
  exempted: number;
  certified: number;
  certificationOverdue: number;
  modulesLate: number;
  certificationLevels: { level: CertificationLevel; advisors: number }[];
}

export function summarise(states: readonly { facts: AdvisorFacts; state: AdvisorState }[]): TrainingSummary {
  const count = (predicate: (s: { facts: AdvisorFacts; state: AdvisorState }) => boolean) => states.filter(predicate).length;
  return {
    advisors: states.length,
    toEnrol: count((s) => s.state.currentPath?.status === 'TO_ENROL'),
    inTraining: count((s) => s.state.currentPath?.status === 'ENROLLED' || s.state.currentPath?.status === 'IN_PROGRESS'),
    trained: count((s) => s.state.currentPath?.status === 'COMPLETED'),
    exempted: count((s) => Boolean(s.facts.learner?.exemptionReason)),
    certified: count((s) => s.state.level === 'CCP1' || s.state.level === 'REMN'),
    certificationOverdue: count((s) => s.state.certification.overdue),
    modulesLate: count((s) => s.state.continuingEducation?.late ?? false),
    certificationLevels: CERTIFICATION_LEVELS.map((level) => ({ level, advisors: count((s) => s.state.level === level) })),
  };
}

export type TrainingConcern = 'TO_ENROL' | 'CERTIFICATION_OVERDUE' | 'MODULES_LATE';
export const CONCERNED: Record<TrainingConcern, (s: AdvisorState) => boolean> = {
  TO_ENROL: (s) => s.currentPath?.status === 'TO_ENROL',
  CERTIFICATION_OVERDUE: (s) => s.certification.overdue,
  MODULES_LATE: (s) => s.continuingEducation?.late ?? false,
};
