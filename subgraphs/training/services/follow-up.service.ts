import type { EntityManager, QBFilterQuery } from '@mikro-orm/postgresql';
import { pageRequest, requestKey, toConnection, type PageArgs } from '../../../common/pagination.js';
import { reference } from '../../../common/references.js';
import type { Viewer } from '../../../common/viewer.js';
import { CertificationAttempt, Learner, ModuleRegistration, TrainingPath } from '../entities/index.js';
import {
  CONCERNED,
  advisorState,
  groupFacts,
  summarise,
  type AdvisorFacts,
  type AttemptRow,
  type LearnerRow,
  type PathRow,
  type RegistrationRow,
  type TrainingConcern,
  type TrainingSummary,
} from '../rules/advisor-state.js';
import type { CertificationLevel } from '../rules/training.js';
import { mayAggregate, summaryForbidden, visibleRows, withFilter } from './access.js';

/**
 * Facts of some advisors as entities (their paths are returned as `TrainingPath`s), in four statements; an advisor
 * outside the viewer's reach has no facts (the row filter is in each statement).
 */
export async function loadFacts(
  em: EntityManager,
  viewer: Viewer,
  conseillerIds: readonly number[],
): Promise<Map<number, AdvisorFacts<TrainingPath, Learner>>> {
  const where = { conseillerId: { $in: [...conseillerIds] } };
  const [learners, paths, attempts, registrations] = await Promise.all([
    em.find(Learner, withFilter<Learner>(where, visibleRows<Learner>(em, viewer, 'learner'))),
    em.find(TrainingPath, withFilter<TrainingPath>(where, visibleRows<TrainingPath>(em, viewer, 'advisor')), {
      orderBy: [{ startDate: 'asc' }, { id: 'asc' }],
    }),
    em.find(CertificationAttempt, withFilter<CertificationAttempt>(where, visibleRows<CertificationAttempt>(em, viewer, 'advisor')), {
      orderBy: [{ date: 'asc' }, { id: 'asc' }],
    }),
    em.find(ModuleRegistration, withFilter<ModuleRegistration>(where, visibleRows<ModuleRegistration>(em, viewer, 'advisor')), {
      orderBy: [{ date: 'asc' }, { id: 'asc' }],
    }),
  ]);
  return groupFacts(conseillerIds, learners, paths, attempts, registrations);
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
  const [paths, attempts, registrations] = await Promise.all([
    em
      .createQueryBuilder(TrainingPath)
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
  return { learners, facts: groupFacts(ids, learners, paths, attempts, registrations) };
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

export interface FollowUpArgs extends PageArgs {
  filter: {
    concern?: readonly TrainingConcern[] | null;
    certificationLevel?: readonly CertificationLevel[] | null;
    departementCode?: string | null;
    regionCode?: string | null;
    structureId?: number | null;
  };
  asOf: string;
}

/** The one sort order of the follow-up list, named in its cursors. */
const FOLLOW_UP = 'conseillerId:ASC';

/**
 * Who is late (or at a certification level) among the advisors the viewer sees, by advisor id. The rules run in
 * code (the same ones as every other field), so the territory's learners are evaluated together: four statements
 * whatever the page or territory size.
 *
 * Why not `keysetPage`: it pages a query, and the concerns are not columns: being late with modules or
 * certifications follows from each advisor's paths, attempts and registrations on `asOf` (rules/advisor-state.ts).
 * Paging in SQL would mean writing those rules a second time in SQL, or reading page after page until one fills.
 * So the page is cut from the evaluated list with the pager's own parts (`pageRequest`, `requestKey`,
 * `toConnection`): the same arguments, checks, cursor format and page info as every other list.
 */
export async function followUp(em: EntityManager, viewer: Viewer, args: FollowUpArgs) {
  const request = pageRequest(args);
  const [cursorId] = requestKey(request, FOLLOW_UP, ['id']) ?? [];
  const where: QBFilterQuery<Learner> = {};
  if (args.filter.departementCode) where.departementCode = args.filter.departementCode;
  if (args.filter.regionCode) where.regionCode = args.filter.regionCode;
  if (args.filter.structureId) where.structureId = args.filter.structureId;
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
