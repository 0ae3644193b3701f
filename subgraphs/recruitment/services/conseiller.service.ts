import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { BadUserInputError, ConflictError, NotFoundError } from '../../../common/errors.js';
import type { Viewer } from '../../../common/viewer.js';
import { actorOf, step, visibleConseillers, visibleStructures, withFilter } from './access.js';
import type { ReachChecks } from '../../../common/steps.js';
import { requireValidated } from '../rules/structure.js';
import {
  Conseiller,
  ConseillerDeletion,
  ConseillerPersonalData,
  MiseEnRelation,
  MiseEnRelationEvent,
  Structure,
} from '../entities/index.js';
import {
  CONSEILLER_STATUSES,
  MAX_DISTANCES_KM,
  OPEN_MATCH_STATUSES,
  POST_HOLDING_STATUSES,
  type ConseillerStatus,
} from '../entities/vocabulary.js';
import { EARTH_RADIUS_KM, locationColumns, locationOf } from '../rules/geography.js';
import {
  byDateTime,
  byId,
  byString,
  keysetPage,
  pageRequest,
  requestKey,
  sortOf,
  toConnection,
  type Direction,
  type PageArgs,
} from '../../../common/pagination.js';
import { containsText, countByStatus, dayRange } from './listing.js';
import { moveMiseEnRelation } from './mise-en-relation.service.js';
import {
  optionalText,
  requireCommune,
  requireDate,
  requireEmail,
  requireFutureDate,
  requirePhone,
  requirePostalCode,
  requireText,
} from '../rules/validation.js';

export interface ConseillerFilter {
  departementCode?: string | null;
  regionCode?: string | null;
  communeCode?: string | null;
  status?: readonly ConseillerStatus[] | null;
  isAvailable?: boolean | null;
  isCoordinator?: boolean | null;
  structureId?: number | null;
  minPixLevel?: number | null;
  hasMedNumDiploma?: boolean | null;
  hasCv?: boolean | null;
  appliedFrom?: string | null;
  appliedTo?: string | null;
  employerDepartementCode?: string | null;
  employerRegionCode?: string | null;
  coordinatedBy?: number | null;
  search?: string | null;
}

/** The coordinated advisors of a coordinator (`listeSubordonnes`): listed ids, or the advisors in post in the listed territories. */
async function coordinatedWhere(
  em: EntityManager,
  visible: FilterQuery<Conseiller> | undefined,
  coordinatorId: number,
): Promise<FilterQuery<Conseiller>> {
  const coordinator = await em.findOne(Conseiller, withFilter<Conseiller>({ id: coordinatorId }, visible));
  if (!coordinator) throw new BadUserInputError(`Conseiller ${coordinatorId} does not exist.`, 'filter.coordinatedBy');
  const items = coordinator.isCoordinator ? (coordinator.coordinatedItems ?? []) : [];
  switch (coordinator.coordinationScope) {
    case 'CONSEILLERS':
      return { id: { $in: items.map(Number) } };
    case 'COMMUNES':
      return { status: 'RECRUTE', structure: { communeCode: { $in: items } } };
    case 'DEPARTEMENTS':
      return { status: 'RECRUTE', structure: { departementCode: { $in: items } } };
    case 'REGIONS':
      return { status: 'RECRUTE', structure: { regionCode: { $in: items } } };
    default:
      return { id: { $in: [] } };
  }
}

/**
 * The filter as a query, narrowed to the people the viewer may read; a coordinator's scope costs one more
 * statement (the coordinator must be visible too: its scope is not a way round the row filter).
 */
async function conseillersWhere(
  em: EntityManager,
  viewer: Viewer,
  { filter, ignoreStatus = false }: { filter: ConseillerFilter | null | undefined; ignoreStatus?: boolean },
): Promise<FilterQuery<Conseiller>> {
  const visible = visibleConseillers(viewer);
  const where = withFilter(conseillerWhere(filter, { ignoreStatus }), visible);
  return filter?.coordinatedBy != null
    ? ({ $and: [where, await coordinatedWhere(em, visible, filter.coordinatedBy)] } as FilterQuery<Conseiller>)
    : where;
}

function conseillerWhere(filter: ConseillerFilter | null | undefined, { ignoreStatus = false } = {}): FilterQuery<Conseiller> {
  const where: FilterQuery<Conseiller> & Record<string, unknown> = {};
  if (!filter) return where;
  if (filter.departementCode) where.departementCode = filter.departementCode;
  if (filter.regionCode) where.regionCode = filter.regionCode;
  if (filter.communeCode) where.communeCode = filter.communeCode;
  if (filter.status?.length && !ignoreStatus) where.status = { $in: [...filter.status] };
  if (filter.isAvailable != null) where.isAvailable = filter.isAvailable;
  if (filter.isCoordinator != null) where.isCoordinator = filter.isCoordinator;
  const employer: Record<string, unknown> = {};
  if (filter.structureId != null) employer.id = filter.structureId;
  if (filter.employerDepartementCode) employer.departementCode = filter.employerDepartementCode;
  if (filter.employerRegionCode) employer.regionCode = filter.employerRegionCode;
  if (Object.keys(employer).length) where.structure = employer;
  if (filter.minPixLevel != null) where.pixLevel = { $gte: filter.minPixLevel };
  if (filter.hasMedNumDiploma != null) where.hasMedNumDiploma = filter.hasMedNumDiploma;
  if (filter.hasCv != null) where.cvUploadedAt = filter.hasCv ? { $ne: null } : null;
  const applied = dayRange(filter.appliedFrom, filter.appliedTo, 'filter.appliedFrom');
  if (applied) where.createdAt = applied;
  const search = filter.search?.trim();
  if (search) {
    const or = [containsText('last_name', search), containsText('first_name', search)] as FilterQuery<Conseiller>[];
    if (/^\d{1,9}$/.test(search)) or.push({ id: Number(search) });
    where.$or = or;
  }
  return where;
}

export interface ConseillerListArgs extends PageArgs {
  filter?: ConseillerFilter | null;
  orderBy?: { field: 'ID' | 'LAST_NAME' | 'CREATED_AT'; direction?: Direction | null } | null;
}

export async function listConseillers(em: EntityManager, viewer: Viewer, { filter, orderBy, ...page }: ConseillerListArgs) {
  const sort = sortOf<Conseiller, NonNullable<typeof orderBy>['field']>(
    orderBy,
    {
      ID: (direction) => byId(direction),
      LAST_NAME: (direction) => byString('lastName', direction),
      CREATED_AT: (direction) => byDateTime('createdAt', direction),
    },
    { field: 'ID', direction: 'ASC' },
  );
  return keysetPage(em, Conseiller, await conseillersWhere(em, viewer, { filter }), sort, page);
}

/** Counts per status of the people the viewer may read. */
export async function conseillerStatusCounts(em: EntityManager, viewer: Viewer, filter: ConseillerFilter | null | undefined) {
  return countByStatus(em, Conseiller, await conseillersWhere(em, viewer, { filter, ignoreStatus: true }), CONSEILLER_STATUSES);
}

export interface ApplyCandidateInput {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string | null;
  birthDate?: string | null;
  sex?: 'FEMME' | 'HOMME' | null;
  communeCode: string;
  postalCode?: string | null;
  maxDistanceKm: number;
  availableFrom: string;
  isJobSeeker?: boolean | null;
  isEmployed?: boolean | null;
  isInTraining?: boolean | null;
  hasMedNumDiploma?: boolean | null;
  medNumDiplomaName?: string | null;
  hasMedNumExperience?: boolean | null;
  motivation?: string | null;
  pix?: { level: number; professionalUse: boolean; resourceProduction: boolean; eCitizenship: boolean } | null;
}

/** A candidate's application (legacy `validCandidatureConseiller`). */
export async function applyCandidate(em: EntityManager, viewer: Viewer, input: ApplyCandidateInput): Promise<Conseiller> {
  const check = () => {
    const commune = requireCommune(input.communeCode, 'communeCode');
    if (!(MAX_DISTANCES_KM as readonly number[]).includes(input.maxDistanceKm)) {
      throw new BadUserInputError(`maxDistanceKm must be one of ${MAX_DISTANCES_KM.join(', ')}.`, 'maxDistanceKm');
    }
    const situation = {
      isJobSeeker: input.isJobSeeker ?? false,
      isEmployed: input.isEmployed ?? false,
      isInTraining: input.isInTraining ?? false,
      hasMedNumDiploma: input.hasMedNumDiploma ?? false,
      hasMedNumExperience: input.hasMedNumExperience ?? false,
    };
    if (!Object.values(situation).some(Boolean)) throw new BadUserInputError('Tick at least one situation.', 'isJobSeeker');
    const medNumDiplomaName = situation.hasMedNumDiploma ? requireText(input.medNumDiplomaName ?? '', 'medNumDiplomaName') : null;
    if (input.pix && (!Number.isInteger(input.pix.level) || input.pix.level < 1 || input.pix.level > 3)) {
      throw new BadUserInputError('The Pix level is 1, 2 or 3.', 'pix.level');
    }
    const email = requireEmail(input.email, 'email');
    // The programme's own mailboxes are given to advisors, never used to apply (legacy rule).
    if (email.endsWith('@conseiller-numerique.fr')) throw new BadUserInputError('Apply with a personal e-mail address.', 'email');
    const birthDate = input.birthDate ? requireDate(input.birthDate, 'birthDate') : null;
    if (birthDate && (birthDate < '1930-01-01' || birthDate > `${new Date().getUTCFullYear() - 16}-12-31`)) {
      throw new BadUserInputError('The birth date is not plausible.', 'birthDate');
    }
    const data = {
      firstName: requireText(input.firstName, 'firstName'),
      lastName: requireText(input.lastName, 'lastName'),
      status: 'CANDIDAT' as const,
      postalCode: requirePostalCode(input.postalCode, commune, 'postalCode'),
      ...locationColumns(commune),
      maxDistanceKm: input.maxDistanceKm,
      availableFrom: requireFutureDate(input.availableFrom, 'availableFrom'),
      isAvailable: true,
      ...situation,
      medNumDiplomaName,
      motivation: optionalText(input.motivation, 'motivation', 2500),
      pixShared: Boolean(input.pix),
      pixSharedAt: input.pix ? new Date() : null,
      pixLevel: input.pix?.level ?? null,
      pixSkillProfessional: input.pix?.professionalUse ?? false,
      pixSkillResources: input.pix?.resourceProduction ?? false,
      pixSkillCitizenship: input.pix?.eCitizenship ?? false,
    };
    const personal = { email, phone: input.phone ? requirePhone(input.phone, 'phone') : null, birthDate, sex: input.sex ?? null };
    return { data, personal };
  };
  return step(em, viewer, 'applyCandidate', { check }, async ({ tx, unscoped }, { data, personal }) => {
    unscoped('an application creates a new person: there is no row to be outside of');
    const conseiller = tx.create(Conseiller, data);
    tx.create(ConseillerPersonalData, { conseiller, ...personal });
    await tx.flush();
    return conseiller;
  });
}

/** Withdrawing closes the candidate's open matches (`NON_DISPONIBLE`); an advisor in post is not a candidate. */
export async function setCandidateAvailability(
  em: EntityManager,
  viewer: Viewer,
  input: { conseillerId: number; isAvailable: boolean },
): Promise<Conseiller> {
  // A candidate acts only for itself.
  const check = ({ reach }: ReachChecks) =>
    reach({ conseiller: input.conseillerId }, `conseiller ${input.conseillerId}`, 'only for yourself');
  return step(em, viewer, 'setCandidateAvailability', { check }, async ({ tx, lock, lockAll }) => {
    const conseiller = await lock(Conseiller, input.conseillerId);
    if (conseiller.status === 'RECRUTE') {
      throw new ConflictError(`Conseiller ${conseiller.id} is in post: availability applies to candidates.`);
    }
    conseiller.isAvailable = input.isAvailable;
    if (!input.isAvailable) {
      // Open matches hold no contract: closing them announces nothing.
      const open = await lockAll(MiseEnRelation, { conseiller: conseiller.id, status: { $in: [...OPEN_MATCH_STATUSES] } });
      for (const mer of open) moveMiseEnRelation(tx, mer, 'NON_DISPONIBLE', actorOf(viewer));
    }
    return conseiller;
  });
}

/**
 * Deletes a candidate: a duplicate account, or a GDPR erasure request. The person, their personal data and their
 * matches go; only the fact of the deletion is kept. Anyone who ever had a contract is refused: contracts are
 * evidence for the subsidies (and are kept in the other subgraphs too).
 */
export async function deleteCandidate(
  em: EntityManager,
  viewer: Viewer,
  input: { conseillerId: number; reason: 'DOUBLON' | 'DEMANDE_RGPD' },
): Promise<ConseillerDeletion> {
  // A candidate acts only for itself.
  const check = ({ reach }: ReachChecks) =>
    reach({ conseiller: input.conseillerId }, `conseiller ${input.conseillerId}`, 'only for yourself');
  return step(em, viewer, 'deleteCandidate', { check }, async ({ tx, lock }) => {
    const conseiller = await lock(Conseiller, input.conseillerId);
    if (conseiller.status !== 'CANDIDAT' || (await tx.count(MiseEnRelation, { conseiller: conseiller.id, contractType: { $ne: null } }))) {
      throw new ConflictError(`Conseiller ${conseiller.id} has had a contract: only candidates are deleted.`);
    }
    const matches = await tx.find(MiseEnRelation, { conseiller: conseiller.id }, { fields: ['id'] });
    await tx.nativeDelete(MiseEnRelationEvent, { miseEnRelation: { $in: matches.map((m) => m.id) } });
    await tx.nativeDelete(MiseEnRelation, { conseiller: conseiller.id });
    await tx.nativeDelete(ConseillerPersonalData, { conseiller: conseiller.id });
    tx.remove(conseiller);
    return tx.create(ConseillerDeletion, { conseillerId: conseiller.id, reason: input.reason, actor: actorOf(viewer) });
  });
}

/**
 * SQL over the available candidates with coordinates and their great-circle distance to a point (haversine, km):
 * a `candidate` CTE with `id`, `distance_km` and `max_distance_km`. Its parameters come first. `visible` (the
 * viewer's row filter) becomes an `id in (subquery)` condition of the same statement.
 */
function candidatesAround(
  em: EntityManager,
  point: { latitude: number; longitude: number },
  visible?: FilterQuery<Conseiller>,
): { cte: string; params: unknown[] } {
  const meta = em.getMetadata().get(Conseiller);
  const table = `"${meta.schema ?? em.config.get('schema')}"."${meta.tableName}"`;
  const reach = visible
    ? em
        .createQueryBuilder(Conseiller, 'vc')
        .select('vc.id')
        .where(visible as never)
    : null;
  return {
    cte: `
      with candidate as (
        select id, max_distance_km, ${EARTH_RADIUS_KM} * 2 * asin(sqrt(
                 power(sin(radians(latitude - ?) / 2), 2)
               + cos(radians(?)) * cos(radians(latitude)) * power(sin(radians(longitude - ?) / 2), 2))) as distance_km
        from ${table}
        where is_available and latitude is not null and longitude is not null${reach ? ` and id in (${reach.getQuery()})` : ''}
      )`,
    params: [point.latitude, point.latitude, point.longitude, ...(reach ? reach.getParams() : [])],
  };
}

/** The one sort order of nearestCandidates, named in its cursors. */
const NEAREST = 'distance:ASC';

/**
 * Available candidates within their own maximum distance of a structure the viewer may read, nearest first, among
 * the people it may read. The distance is the haversine formula in SQL over commune centres; keyset-paginated on
 * (distance, id); four statements a page.
 */
export async function nearestCandidates(em: EntityManager, viewer: Viewer, args: PageArgs & { structureId: number }) {
  const request = pageRequest(args);
  const key = requestKey(request, NEAREST, ['number', 'id']);
  const structure = await em.findOne(Structure, withFilter<Structure>({ id: args.structureId }, visibleStructures(viewer)));
  if (!structure) throw new NotFoundError('Structure', args.structureId);
  const location = locationOf(structure);
  if (!location) return { ...toConnection([], request, NEAREST, 0, () => []), edges: [], nodes: [] };
  const { cte, params } = candidatesAround(em, location, visibleConseillers(viewer));
  const db = em.getConnection();
  // Backwards, the candidates before the cursor are read farthest first (toConnection puts them back in order).
  const [op, order] = request.backward ? ['<', 'desc'] : ['>', 'asc'];
  const [rows, [total]] = await Promise.all([
    db.execute<{ id: number; distance_km: number }[]>(
      `${cte} select id, distance_km from candidate where distance_km <= max_distance_km${key ? ` and (distance_km, id) ${op} (?, ?)` : ''}
       order by distance_km ${order}, id ${order} limit ?`,
      [...params, ...(key ?? []), request.size + 1],
    ),
    db.execute<{ count: number }[]>(`${cte} select count(*)::int as count from candidate where distance_km <= max_distance_km`, params),
  ]);
  const connection = toConnection(rows, request, NEAREST, Number(total?.count ?? 0), (r) => [Number(r.distance_km), r.id]);
  const people = connection.edges.length ? await em.find(Conseiller, { id: { $in: connection.edges.map((e) => e.node.id) } }) : [];
  const person = new Map(people.map((c) => [c.id, c]));
  const edges = connection.edges.map((e) => ({
    cursor: e.cursor,
    node: person.get(e.node.id)!,
    distanceKm: Math.round(Number(e.node.distance_km) * 10) / 10,
  }));
  return { ...connection, edges, nodes: edges.map((e) => e.node) };
}

/** The matching never reaches further than this, whatever the candidate accepts (legacy nightly job). */
export const MATCHING_RADIUS_KM = 500;
const MATCHING_LOCK_SLICE = 10_000;

/**
 * The matching (the legacy nightly job) for one validated structure: a `NOUVELLE` mise en relation for every
 * available candidate within their own maximum distance (and 500 km) who has no open one with it yet.
 */
export async function matchCandidates(
  em: EntityManager,
  viewer: Viewer,
  input: { structureId: number },
): Promise<{ structure: Structure; created: number }> {
  return step(em, viewer, 'matchCandidates', async ({ tx, lock, lockAll }) => {
    const structure = await lock(Structure, input.structureId);
    requireValidated(structure, 'be matched');
    const location = locationOf(structure);
    if (!location) return { structure, created: 0 };
    const { cte, params } = candidatesAround(tx, location);
    const merMeta = tx.getMetadata().get(MiseEnRelation);
    const merTable = `"${merMeta.schema ?? tx.config.get('schema')}"."${merMeta.tableName}"`;
    const open = [...OPEN_MATCH_STATUSES, ...POST_HOLDING_STATUSES, 'RENOUVELLEMENT_INITIEE'];
    const rows = await tx.getConnection().execute<{ id: number; distance_km: number }[]>(
      `${cte} select c.id, c.distance_km from candidate c
       where c.distance_km <= least(c.max_distance_km, ${MATCHING_RADIUS_KM})
         and not exists (select 1 from ${merTable} m where m.structure_id = ? and m.conseiller_id = c.id and m.status in (${open.map(() => '?').join(', ')}))
       order by c.distance_km, c.id`,
      [...params, structure.id, ...open],
      'all',
      tx.getTransactionContext(),
    );
    // Those still available once locked: a recruitment validated meanwhile closes its person's matches, this one's too.
    // Locked in id order, by slices that keep each statement's parameters well under PostgreSQL's 65,535.
    const ids = rows.map((r) => r.id).sort((x, y) => x - y);
    const available = new Set<number>();
    for (let i = 0; i < ids.length; i += MATCHING_LOCK_SLICE) {
      for (const c of await lockAll(Conseiller, { id: { $in: ids.slice(i, i + MATCHING_LOCK_SLICE) }, isAvailable: true }))
        available.add(c.id);
    }
    const matched = rows.filter((row) => available.has(row.id));
    for (const row of matched) {
      const mer = tx.create(MiseEnRelation, {
        structure,
        conseiller: row.id,
        status: 'NOUVELLE',
        origin: 'MATCHING',
        distanceMeters: Math.round(Number(row.distance_km) * 1000),
      });
      tx.create(MiseEnRelationEvent, { miseEnRelation: mer, fromStatus: null, toStatus: 'NOUVELLE', actor: actorOf(viewer) });
    }
    return { structure, created: matched.length };
  });
}
