import type { EntityManager, QBFilterQuery } from '@mikro-orm/postgresql';
import { parseId } from '../../../common/ids.js';
import { pageRequest, requestKey, toConnection, type PageArgs } from '../../../common/pagination.js';
import { reference } from '../../../common/references.js';
import type { Viewer } from '../../../common/viewer.js';
import { CertificationAttempt, Formation, Learner, ModuleRegistration } from '../entities/index.js';
import { mayAggregate, summaryForbidden, visibleRows, withFilter } from './access.js';
import type { ModuleRegistrationStatus } from '../entities/thematic-module.entity.js';
import {
  CERTIFICATION_LEVELS,
  certificationLevel,
  certificationProgress,
  isActivePath,
  moduleObligations,
  passedCertifications,
  type CertificationLevel,
  type CertificationResult,
  type CertificationType,
  type ExemptionReason,
  type FormationStatus,
  type CertificationProgress,
  type ModuleObligation,
} from './training.rules.js';

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
  status: FormationStatus;
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
  formations: P[];
  attempts: AttemptRow[];
  registrations: RegistrationRow[];
}

function groupFacts<P extends PathRow, L extends LearnerRow>(
  ids: readonly number[],
  learners: readonly L[],
  formations: P[],
  attempts: AttemptRow[],
  registrations: RegistrationRow[],
) {
  const facts = new Map<number, AdvisorFacts<P, L>>(
    ids.map((id) => [id, { conseillerId: id, learner: null, formations: [], attempts: [], registrations: [] }]),
  );
  for (const l of learners) if (facts.has(l.conseillerId)) facts.get(l.conseillerId)!.learner = l;
  for (const f of formations) facts.get(f.conseillerId)?.formations.push(f);
  for (const a of attempts) facts.get(a.conseillerId)?.attempts.push(a);
  for (const r of registrations) facts.get(r.conseillerId)?.registrations.push(r);
  return facts;
}

/**
 * Facts of some advisors as entities (their paths are returned as `Formation`s), in four statements; an advisor
 * outside the viewer's reach has no facts (the row filter is in each statement).
 */
export async function loadFacts(
  em: EntityManager,
  viewer: Viewer,
  conseillerIds: readonly number[],
): Promise<Map<number, AdvisorFacts<Formation, Learner>>> {
  const where = { conseillerId: { $in: [...conseillerIds] } };
  const [learners, formations, attempts, registrations] = await Promise.all([
    em.find(Learner, withFilter<Learner>(where, visibleRows<Learner>(em, viewer, 'learner'))),
    em.find(Formation, withFilter<Formation>(where, visibleRows<Formation>(em, viewer, 'advisor')), {
      orderBy: [{ startDate: 'asc' }, { id: 'asc' }],
    }),
    em.find(CertificationAttempt, withFilter<CertificationAttempt>(where, visibleRows<CertificationAttempt>(em, viewer, 'advisor')), {
      orderBy: [{ date: 'asc' }, { id: 'asc' }],
    }),
    em.find(ModuleRegistration, withFilter<ModuleRegistration>(where, visibleRows<ModuleRegistration>(em, viewer, 'advisor')), {
      orderBy: [{ date: 'asc' }, { id: 'asc' }],
    }),
  ]);
  return groupFacts(conseillerIds, learners, formations, attempts, registrations);
}

/**
 * Facts of every learner matching `where` that the viewer sees, as plain rows (no entity hydration: a région holds
 * hundreds of advisors, the whole country a few thousand), in four statements; the row filter is on the learners,
 * whose ids select the other rows.
 */
export async function loadLearnerFacts(
  em: EntityManager,
  viewer: Viewer,
  where: QBFilterQuery<Learner>,
): Promise<{ learners: LearnerRow[]; facts: Map<number, AdvisorFacts> }> {
  const learners: LearnerRow[] = await em
    .createQueryBuilder(Learner)
    .select(['conseillerId', 'structureId', 'departementCode', 'regionCode', 'entryDate', 'exemptionReason'])
    .where(withFilter(where as never, visibleRows<Learner>(em, viewer, 'learner')) as QBFilterQuery<Learner>)
    .orderBy({ conseillerId: 'asc' })
    .execute('all');
  const ids = learners.map((l) => l.conseillerId);
  const byAdvisor = { conseillerId: { $in: ids } };
  const [formations, attempts, registrations] = await Promise.all([
    em
      .createQueryBuilder(Formation)
      .select(['id', 'conseillerId', 'status', 'startDate', 'endDate'])
      .where(byAdvisor)
      .orderBy([{ startDate: 'asc' }, { id: 'asc' }])
      .execute<PathRow[]>('all'),
    em
      .createQueryBuilder(CertificationAttempt)
      .select(['conseillerId', 'type', 'result', 'date'])
      .where(byAdvisor)
      .execute<AttemptRow[]>('all'),
    em.createQueryBuilder(ModuleRegistration).select(['conseillerId', 'date', 'status']).where(byAdvisor).execute<RegistrationRow[]>('all'),
  ]);
  return { learners, facts: groupFacts(ids, learners, formations, attempts, registrations) };
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
  const currentPath = facts.formations.filter((f) => isActivePath(f.status)).at(-1) ?? null;
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

export type TerritoryKind = 'departement' | 'region' | 'structure';
export interface TerritoryKey {
  kind: TerritoryKind;
  code: string;
  asOf: string;
}

const COLUMN: Record<TerritoryKind, 'departementCode' | 'regionCode' | 'structureId'> = {
  departement: 'departementCode',
  region: 'regionCode',
  structure: 'structureId',
};

/**
 * Summaries of many territories (départements, régions, structures, mixed) in four statements: the learners of
 * all of them, then their facts. A key outside the viewer's reach gets a FORBIDDEN error instead (the rule for
 * aggregates, in access.ts) and is not queried; the row filter still applies to the others (defence in depth).
 */
export async function territorySummaries(
  em: EntityManager,
  viewer: Viewer,
  requested: readonly TerritoryKey[],
): Promise<(TrainingSummary | Error)[]> {
  const keys = requested.filter((k) => mayAggregate(viewer, k.kind, k.code));
  if (!keys.length) return requested.map((k) => summaryForbidden(k.kind, k.code));
  const codes = (kind: TerritoryKind) => [...new Set(keys.filter((k) => k.kind === kind).map((k) => k.code))];
  const or: QBFilterQuery<Learner>[] = [];
  if (codes('departement').length) or.push({ departementCode: { $in: codes('departement') } });
  if (codes('region').length) or.push({ regionCode: { $in: codes('region') } });
  if (codes('structure').length) or.push({ structureId: { $in: codes('structure').map(Number) } });
  const { learners, facts } = await loadLearnerFacts(em, viewer, { $or: or });
  return requested.map((key) => {
    if (!mayAggregate(viewer, key.kind, key.code)) return summaryForbidden(key.kind, key.code);
    const members = learners.filter((l) => String(l[COLUMN[key.kind]]) === key.code);
    return summarise(
      members.map((l) => ({ facts: facts.get(l.conseillerId)!, state: advisorState(facts.get(l.conseillerId)!, key.asOf) })),
    );
  });
}

export type TrainingConcern = 'TO_ENROL' | 'CERTIFICATION_OVERDUE' | 'MODULES_LATE';
export interface FollowUpArgs extends PageArgs {
  filter: {
    concern?: readonly TrainingConcern[] | null;
    certificationLevel?: readonly CertificationLevel[] | null;
    departementCode?: string | null;
    regionCode?: string | null;
    structureId?: string | null;
  };
  asOf: string;
}

const CONCERNED: Record<TrainingConcern, (s: AdvisorState) => boolean> = {
  TO_ENROL: (s) => s.currentPath?.status === 'TO_ENROL',
  CERTIFICATION_OVERDUE: (s) => s.certification.overdue,
  MODULES_LATE: (s) => s.continuingEducation?.late ?? false,
};

/** The one sort order of the follow-up list, named in its cursors. */
const FOLLOW_UP = 'conseillerId:ASC';

/**
 * Who is late (or at a certification level) among the advisors the viewer sees, by advisor id. The rules run in
 * code (the same ones as every other field), so the territory's learners are evaluated together: four statements
 * whatever the page or territory size.
 */
export async function followUp(em: EntityManager, viewer: Viewer, args: FollowUpArgs) {
  const request = pageRequest(args);
  const [cursorId] = requestKey(request, FOLLOW_UP, ['id']) ?? [];
  const where: QBFilterQuery<Learner> = {};
  if (args.filter.departementCode) where.departementCode = args.filter.departementCode;
  if (args.filter.regionCode) where.regionCode = args.filter.regionCode;
  if (args.filter.structureId) where.structureId = parseId(args.filter.structureId, 'structureId');
  const { learners, facts } = await loadLearnerFacts(em, viewer, where);
  const { concern, certificationLevel: level } = args.filter;
  const concerned = learners.filter((l) => {
    const state = advisorState(facts.get(l.conseillerId)!, args.asOf);
    return (!concern?.length || concern.some((c) => CONCERNED[c](state))) && (!level?.length || level.includes(state.level));
  });
  // Learners come by advisor id; backwards, the ones before the cursor are taken nearest first.
  const scan = request.backward
    ? concerned.filter((l) => cursorId === undefined || l.conseillerId < cursorId).reverse()
    : concerned.filter((l) => cursorId === undefined || l.conseillerId > cursorId);
  const connection = toConnection(scan.slice(0, request.size + 1), request, FOLLOW_UP, concerned.length, (l) => [l.conseillerId]);
  const edges = connection.edges.map((e) => ({ cursor: e.cursor, node: reference('Conseiller', e.node.conseillerId) }));
  return { ...connection, edges, nodes: edges.map((e) => e.node) };
}
