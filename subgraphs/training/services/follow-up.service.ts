import type { EntityManager } from '@mikro-orm/postgresql';
import { canSeeRow } from '../../../common/authz.js';
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
import type { CertificationLevel, ExemptionReason } from '../rules/training.js';
import { placementOn, type ContractRow } from '../rules/hiring.js';
import { learnerCondition, mayAggregate, summaryForbidden, visibleRows, withFilter } from './access.js';

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

/** Where the figures look for advisors, by their employer's structure as training's copy holds it; OR-ed. */
export interface EmployerFilter {
  structureIds: readonly number[];
  departementCodes: readonly string[];
  regionCodes: readonly string[];
}

/** A copied contract with where its structure lies (unknown while the structure's event is on its way). */
interface PlacedContract extends ContractRow {
  departementCode: string | null;
  regionCode: string | null;
}

/** A learner and every contract training's copy holds of them, to place them on any day (rules/hiring.ts). */
interface Candidate {
  learner: LearnerRow;
  contracts: PlacedContract[];
}

/**
 * The learners who ever had a contract with a structure matching `where` (every learner with a contract when null),
 * each with all their copied contracts, whichever structure, so the rule picks their employer on any day; then their
 * facts, as plain rows (a région holds hundreds of advisors, the whole country a few thousand). Four statements:
 * one for the learners and their contracts, three for the facts. `visible: 'learners'` puts the viewer's row filter
 * on the learner rows in the first statement (lists); `'unfiltered'` leaves it to the caller (aggregates, which
 * check the employer on the day of each summary).
 */
export async function loadCandidateFacts(
  em: EntityManager,
  viewer: Viewer,
  where: EmployerFilter | null,
  visible: 'learners' | 'unfiltered',
): Promise<{ candidates: Candidate[]; facts: Map<number, AdvisorFacts> }> {
  const schema = em.config.get('schema') as string;
  const conditions: string[] = [];
  const params: unknown[] = [];
  const list = (values: readonly unknown[]) => (params.push(...values), values.map(() => '?').join(', '));
  if (where) {
    const any: string[] = [];
    if (where.structureIds.length) any.push(`w.structure_id in (${list(where.structureIds)})`);
    if (where.departementCodes.length) any.push(`ws.departement_code in (${list(where.departementCodes)})`);
    if (where.regionCodes.length) any.push(`ws.region_code in (${list(where.regionCodes)})`);
    conditions.push(
      `l.conseiller_id in (select w.conseiller_id from "${schema}"."recruitment_contract" w ` +
        `left join "${schema}"."recruitment_structure" ws on ws.structure_id = w.structure_id where ${any.join(' or ') || 'false'})`,
    );
  }
  const filter = visible === 'learners' ? learnerCondition(viewer, 'l') : null;
  if (filter) {
    conditions.push(filter.sql);
    params.push(...filter.params);
  }
  const rows = await em.execute<Record<string, string | number | null>[]>(
    `select l.conseiller_id, l.structure_id as learner_structure_id, l.departement_code as learner_departement_code,
            l.region_code as learner_region_code, l.entry_date::text, l.exemption_reason,
            c.mise_en_relation_id, c.structure_id, c.status, c.start_date::text, c.employed_from::text,
            c.employed_until::text, s.departement_code, s.region_code
       from "${schema}"."learner" l
       join "${schema}"."recruitment_contract" c on c.conseiller_id = l.conseiller_id
       left join "${schema}"."recruitment_structure" s on s.structure_id = c.structure_id
      ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
      order by l.conseiller_id, c.mise_en_relation_id`,
    params,
  );
  const candidates: Candidate[] = [];
  for (const r of rows) {
    const conseillerId = Number(r.conseiller_id);
    if (candidates.at(-1)?.learner.conseillerId !== conseillerId) {
      candidates.push({
        learner: {
          conseillerId,
          structureId: Number(r.learner_structure_id),
          departementCode: String(r.learner_departement_code),
          regionCode: String(r.learner_region_code),
          entryDate: String(r.entry_date),
          exemptionReason: (r.exemption_reason as ExemptionReason | null) ?? null,
        },
        contracts: [],
      });
    }
    candidates.at(-1)!.contracts.push({
      miseEnRelationId: Number(r.mise_en_relation_id),
      structureId: Number(r.structure_id),
      status: r.status as ContractRow['status'],
      startDate: r.start_date as string | null,
      employedFrom: r.employed_from as string | null,
      employedUntil: r.employed_until as string | null,
      departementCode: r.departement_code as string | null,
      regionCode: r.region_code as string | null,
    });
  }
  const ids = candidates.map((c) => c.learner.conseillerId);
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
  const learners = candidates.map((c) => c.learner);
  return { candidates, facts: groupFacts(ids, learners, paths, attempts, registrations) };
}

export type TerritoryKind = 'departement' | 'region' | 'structure';
export interface TerritoryKey {
  kind: TerritoryKind;
  code: string;
  asOf: string;
}

/**
 * Summaries of many territories (départements, régions, structures, mixed) in four statements: the learners who
 * ever worked in any of them with their contracts, then their facts. Each summary counts the advisors hired or
 * being hired on its `asOf`, located by the structure of the contract that places them that day (rules/hiring.ts):
 * a mere candidate, an advisor whose recruitment was cancelled or whose contract ended before `asOf` is not counted.
 * A key outside the viewer's reach gets a FORBIDDEN error instead (the rule for aggregates, in access.ts) and is not
 * queried; each counted advisor must still be one the viewer may see where they work that day (defence in depth).
 */
export async function territorySummaries(
  em: EntityManager,
  viewer: Viewer,
  requested: readonly TerritoryKey[],
): Promise<(TrainingSummary | Error)[]> {
  const keys = requested.filter((k) => mayAggregate(viewer, k.kind, k.code));
  if (!keys.length) return requested.map((k) => summaryForbidden(k.kind, k.code));
  const codes = (kind: TerritoryKind) => [...new Set(keys.filter((k) => k.kind === kind).map((k) => k.code))];
  const { candidates, facts } = await loadCandidateFacts(
    em,
    viewer,
    { structureIds: codes('structure').map(Number), departementCodes: codes('departement'), regionCodes: codes('region') },
    'unfiltered',
  );
  // Each advisor placed once per day asked, then filed under their structure, département and région.
  const placed = new Map<string, Map<string, Candidate[]>>();
  const membersOf = (key: TerritoryKey) => {
    let byPlace = placed.get(key.asOf);
    if (!byPlace) {
      byPlace = new Map();
      placed.set(key.asOf, byPlace);
      for (const c of candidates) {
        const at = placementOn(c.contracts, key.asOf);
        if (!at) continue;
        const location = {
          departement: at.departementCode,
          region: at.regionCode,
          structure: at.structureId,
          conseiller: c.learner.conseillerId,
        };
        if (!canSeeRow(viewer, location)) continue;
        // A structure whose own event is still on its way locates its advisors in no département or région yet.
        const places = [`structure|${at.structureId}`];
        if (at.departementCode) places.push(`departement|${at.departementCode}`);
        if (at.regionCode) places.push(`region|${at.regionCode}`);
        for (const place of places) {
          if (!byPlace.has(place)) byPlace.set(place, []);
          byPlace.get(place)!.push(c);
        }
      }
    }
    return byPlace.get(`${key.kind}|${key.code}`) ?? [];
  };
  return requested.map((key) => {
    if (!mayAggregate(viewer, key.kind, key.code)) return summaryForbidden(key.kind, key.code);
    return summarise(
      membersOf(key).map(({ learner }) => ({
        facts: facts.get(learner.conseillerId)!,
        state: advisorState(facts.get(learner.conseillerId)!, key.asOf),
      })),
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
  const { departementCode, regionCode, structureId } = args.filter;
  const located = departementCode || regionCode || structureId;
  const where = located
    ? {
        structureIds: structureId ? [structureId] : [],
        departementCodes: departementCode ? [departementCode] : [],
        regionCodes: regionCode ? [regionCode] : [],
      }
    : null;
  const { candidates, facts } = await loadCandidateFacts(em, viewer, where, 'learners');
  const learners = candidates.flatMap((c) => {
    const at = placementOn(c.contracts, args.asOf);
    if (!at) return [];
    const matches =
      (!structureId || at.structureId === structureId) &&
      (!departementCode || at.departementCode === departementCode) &&
      (!regionCode || at.regionCode === regionCode);
    return matches ? [c.learner] : [];
  });
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
