import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { BadUserInputError, ConflictError } from '../../../common/errors.js';
import type { Viewer } from '../../../common/viewer.js';
import { actorOf, reachStructure, step, visibleStructures, withFilter } from './access.js';
import type { ReachChecks } from '../../../common/steps.js';
import { PrefectOpinion, Structure } from '../entities/index.js';
import {
  STRUCTURE_STATUSES,
  STRUCTURE_TYPES,
  type CoselecOpinion,
  type Network,
  type Opinion,
  type Phase,
  type QpvStatus,
  type StructureStatus,
  type StructureType,
} from '../entities/vocabulary.js';
import { byDateTime, byId, byNumber, byString, keysetPage, sortOf, type Direction, type PageArgs } from '../../../common/pagination.js';
import { containsText, countByStatus, dayRange } from './listing.js';
import { locationColumns } from '../rules/geography.js';
import { moveStructure } from '../rules/structure.js';
import { structureApplied, structureClosed, structureDecided } from '../../../common/events/catalogue.js';
import { announceStructure } from './events.js';
import { appendDecision } from './quota.js';
import {
  optionalText,
  requireComment,
  requireCommune,
  requireCount,
  requireEmail,
  requireFutureDate,
  requirePhone,
  requirePostalCode,
  requireRidet,
  requireSiret,
  requireText,
} from '../rules/validation.js';

export interface StructureFilter {
  departementCode?: string | null;
  regionCode?: string | null;
  communeCode?: string | null;
  status?: readonly StructureStatus[] | null;
  type?: readonly StructureType[] | null;
  sector?: readonly ('PUBLIC' | 'PRIVATE')[] | null;
  network?: readonly Network[] | null;
  isZrr?: boolean | null;
  qpvStatus?: readonly QpvStatus[] | null;
  isFranceServices?: boolean | null;
  appliedFrom?: string | null;
  appliedTo?: string | null;
  search?: string | null;
}

export function structureWhere(filter: StructureFilter | null | undefined, { ignoreStatus = false } = {}): FilterQuery<Structure> {
  const where: FilterQuery<Structure> & Record<string, unknown> = {};
  if (!filter) return where;
  if (filter.departementCode) where.departementCode = filter.departementCode;
  if (filter.regionCode) where.regionCode = filter.regionCode;
  if (filter.communeCode) where.communeCode = filter.communeCode;
  if (filter.status?.length && !ignoreStatus) where.status = { $in: [...filter.status] };
  let types = filter.type?.length ? [...filter.type] : null;
  const sectors = filter.sector?.length ? filter.sector : null;
  if (sectors) types = (types ?? [...STRUCTURE_TYPES]).filter((t) => sectors.includes(t === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC'));
  if (types) where.type = { $in: types };
  if (filter.network?.length) where.network = { $in: [...filter.network] };
  if (filter.isZrr != null) where.isZrr = filter.isZrr;
  if (filter.qpvStatus?.length) where.qpvStatus = { $in: [...filter.qpvStatus] };
  if (filter.isFranceServices != null) where.isFranceServices = filter.isFranceServices;
  const applied = dayRange(filter.appliedFrom, filter.appliedTo, 'filter.appliedFrom');
  if (applied) where.createdAt = applied;
  const search = filter.search?.trim();
  if (search) {
    const or: FilterQuery<Structure>[] = [containsText('name', search) as FilterQuery<Structure>];
    if (/^\d{14}$/.test(search)) or.push({ siret: search });
    if (/^\d{1,9}$/.test(search)) or.push({ id: Number(search) });
    where.$or = or;
  }
  return where;
}

export interface StructureListArgs extends PageArgs {
  filter?: StructureFilter | null;
  orderBy?: { field: 'ID' | 'NAME' | 'CREATED_AT' | 'POST_QUOTA'; direction?: Direction | null } | null;
}

/** Structures for dashboards: the viewer's, filtered, sorted, keyset-paginated; two statements whatever the page size. */
export function listStructures(em: EntityManager, viewer: Viewer, { filter, orderBy, ...page }: StructureListArgs) {
  const sort = sortOf<Structure, NonNullable<typeof orderBy>['field']>(
    orderBy,
    {
      ID: (direction) => byId(direction),
      NAME: (direction) => byString('name', direction),
      CREATED_AT: (direction) => byDateTime('createdAt', direction),
      POST_QUOTA: (direction) => byNumber('postQuota', direction),
    },
    { field: 'ID', direction: 'ASC' },
  );
  return keysetPage(em, Structure, withFilter(structureWhere(filter), visibleStructures(viewer)), sort, page);
}

/** Counts per status of the structures the viewer may read. */
export function structureStatusCounts(em: EntityManager, viewer: Viewer, filter: StructureFilter | null | undefined) {
  return countByStatus(
    em,
    Structure,
    withFilter(structureWhere(filter, { ignoreStatus: true }), visibleStructures(viewer)),
    STRUCTURE_STATUSES,
  );
}

export interface ApplyStructureInput {
  name: string;
  siret?: string | null;
  ridet?: string | null;
  type: StructureType;
  network?: Network | null;
  addressLine?: string | null;
  postalCode?: string | null;
  communeCode: string;
  isZrr?: boolean | null;
  qpvStatus?: QpvStatus | null;
  isFranceServices?: boolean | null;
  contact: { firstName: string; lastName: string; role: string; email: string; phone: string };
  hasIdentifiedCandidate?: boolean | null;
  missionStartDate: string;
  requestedAdvisors: number;
  motivation?: string | null;
  isCoordinatorApplication?: boolean | null;
  coordinatorContractType?: 'PT' | 'FT' | null;
  hasIdentifiedCoordinator?: boolean | null;
  confirmCommitment: boolean;
}

/** A structure's application (legacy `validCandidatureStructure`): it lands in `CREEE`. */
export async function applyStructure(em: EntityManager, viewer: Viewer, input: ApplyStructureInput): Promise<Structure> {
  const check = () => {
    if (!input.confirmCommitment) throw new BadUserInputError('The programme commitments must be confirmed.', 'confirmCommitment');
    const siret = input.siret ? requireSiret(input.siret, 'siret') : null;
    const ridet = input.ridet ? requireRidet(input.ridet, 'ridet') : null;
    if (!siret && !ridet) throw new BadUserInputError('A SIRET (or, in New Caledonia, a RIDET) is required.', 'siret');
    const commune = requireCommune(input.communeCode, 'communeCode');
    if (input.isCoordinatorApplication && !input.coordinatorContractType) {
      throw new BadUserInputError('A coordinator application gives the post working time (PT or FT).', 'coordinatorContractType');
    }
    const data = {
      name: requireText(input.name, 'name'),
      siret,
      ridet,
      type: input.type,
      status: 'CREEE' as const,
      network: input.network ?? null,
      addressLine: optionalText(input.addressLine, 'addressLine', 255),
      postalCode: requirePostalCode(input.postalCode, commune, 'postalCode'),
      ...locationColumns(commune),
      isZrr: input.isZrr ?? false,
      qpvStatus: input.qpvStatus ?? 'NON',
      isFranceServices: input.isFranceServices ?? false,
      contactFirstName: requireText(input.contact.firstName, 'contact.firstName'),
      contactLastName: requireText(input.contact.lastName, 'contact.lastName'),
      contactRole: requireText(input.contact.role, 'contact.role'),
      contactEmail: requireEmail(input.contact.email, 'contact.email'),
      contactPhone: requirePhone(input.contact.phone, 'contact.phone'),
      hasIdentifiedCandidate: input.hasIdentifiedCandidate ?? false,
      missionStartDate: requireFutureDate(input.missionStartDate, 'missionStartDate'),
      requestedAdvisors: requireCount(input.requestedAdvisors, 'requestedAdvisors', { max: 100 }),
      motivation: optionalText(input.motivation, 'motivation', 2500),
      isCoordinatorApplication: input.isCoordinatorApplication ?? false,
      coordinatorContractType: input.isCoordinatorApplication ? (input.coordinatorContractType ?? null) : null,
      hasIdentifiedCoordinator: input.hasIdentifiedCoordinator ?? false,
    };
    return data;
  };
  return step(em, viewer, 'applyStructure', { check }, async (s, data) => {
    s.unscoped('an application creates a new structure: there is no row to be outside of');
    const structure = s.tx.create(Structure, data);
    await announceStructure(s, structureApplied, structure);
    return structure;
  });
}

/** Ends an undecided application without a committee: duplicate (`DOUBLON`) or given up (`ABANDON`). */
export async function closeStructureApplication(
  em: EntityManager,
  viewer: Viewer,
  input: { structureId: number; status: StructureStatus },
): Promise<Structure> {
  const { structureId, status } = input;
  const check = ({ require }: ReachChecks) => {
    if (status !== 'DOUBLON' && status !== 'ABANDON')
      throw new BadUserInputError('An application is closed as DOUBLON or ABANDON.', 'status');
    // A structure gives up its own application; spotting duplicates is the administrators' job.
    require(viewer.role === 'admin' ||
      status === 'ABANDON', `structure ${structureId}`, 'only an administrator closes an application as a duplicate');
  };
  return step(em, viewer, 'closeStructureApplication', { check }, async (s) => {
    const structure = await s.lock(Structure, structureId);
    reachStructure(s, structure);
    if (structure.postQuota > 0) {
      throw new ConflictError(`Structure ${structureId} holds ${structure.postQuota} posts: hand them back instead.`);
    }
    moveStructure(structure, status);
    await announceStructure(s, structureClosed, structure);
    return structure;
  });
}

/** The département prefecture's opinion on an application still waiting for the committee. */
export async function givePrefectOpinion(
  em: EntityManager,
  viewer: Viewer,
  input: { structureId: number; opinion: Opinion; comment: string; transferFromStructureId?: number | null },
): Promise<Structure> {
  const check = () => requireComment(input.comment, 'comment');
  return step(em, viewer, 'givePrefectOpinionOnApplication', { check }, async (s, comment) => {
    const { tx } = s;
    const structure = await s.lock(Structure, input.structureId);
    reachStructure(s, structure);
    if (structure.status !== 'CREEE' && structure.status !== 'EXAMEN_COMPLEMENTAIRE_COSELEC') {
      throw new ConflictError(`The application of structure ${structure.id} is already decided (${structure.status}).`);
    }
    const transferFrom = await optionalOtherStructure(tx, input.transferFromStructureId, structure.id, 'transferFromStructureId');
    tx.create(PrefectOpinion, { structure, opinion: input.opinion, comment, transferFrom, author: actorOf(viewer) });
    return structure;
  });
}

/** Another existing structure, or null; named by `field` when wrong. */
export async function optionalOtherStructure(
  tx: EntityManager,
  id: number | null | undefined,
  selfId: number,
  field: string,
): Promise<Structure | null> {
  if (id == null) return null;
  if (id === selfId) throw new BadUserInputError('Posts cannot come from the structure itself.', field);
  const other = await tx.findOne(Structure, id);
  if (!other) throw new BadUserInputError(`Structure ${id} does not exist.`, field);
  return other;
}

/**
 * A committee decision: POSITIF grants `postsGranted` posts (the whole quota; 0 cancels a validated structure),
 * NEGATIF refuses, EXAMEN_COMPLEMENTAIRE postpones (quota unchanged).
 */
export async function recordCoselecDecision(
  em: EntityManager,
  viewer: Viewer,
  input: {
    structureId: number;
    opinion: CoselecOpinion;
    postsGranted?: number | null;
    number?: string | null;
    phase?: Phase | null;
    isPriority?: boolean | null;
    observations?: string | null;
  },
): Promise<Structure> {
  const check = () => {
    if (input.opinion === 'POSITIF' && input.postsGranted == null)
      throw new BadUserInputError('A positive decision grants a number of posts.', 'postsGranted');
    if (input.postsGranted != null) requireCount(input.postsGranted, 'postsGranted', { min: 0, max: 500 });
    return { number: optionalText(input.number, 'number', 50), observations: optionalText(input.observations, 'observations', 2500) };
  };
  return step(em, viewer, 'recordCoselecDecision', { check }, async (s, { number, observations }) => {
    const { tx } = s;
    const structure = await s.lock(Structure, input.structureId);
    let postsGranted: number;
    let status: StructureStatus;
    if (input.opinion === 'POSITIF') {
      postsGranted = input.postsGranted!;
      status = postsGranted > 0 ? 'VALIDATION_COSELEC' : 'ANNULEE';
    } else if (input.opinion === 'NEGATIF') {
      postsGranted = 0;
      status = 'REFUS_COSELEC';
    } else {
      postsGranted = structure.postQuota;
      status = 'EXAMEN_COMPLEMENTAIRE_COSELEC';
    }
    await appendDecision(
      tx,
      structure,
      {
        opinion: input.opinion,
        postsGranted,
        number,
        phase: input.phase ?? 'PHASE_1',
        isPriority: input.isPriority ?? false,
        observations,
        validator: actorOf(viewer),
      },
      status,
    );
    await announceStructure(s, structureDecided, structure);
    return structure;
  });
}
