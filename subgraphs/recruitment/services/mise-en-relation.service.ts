import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import {
  BadUserInputError,
  ConflictError,
  InvalidStatusTransitionError,
  NotFoundError,
  QuotaExceededError,
} from '../../../common/errors.js';
import {
  contractEnded,
  contractExtended,
  contractRenewed,
  contractSigned,
  recruitmentCancelled,
  recruitmentRequested,
  renewalRequested,
  ruptureCancelled,
  ruptureDeclared,
  ruptureValidated,
} from '../../../common/events/catalogue.js';
import { byDateTime, byId, keysetPage, sortOf, type Direction, type PageArgs } from '../../../common/pagination.js';
import type { Viewer } from '../../../common/viewer.js';
import { Conseiller, ContractExtension, MiseEnRelation, MiseEnRelationEvent, Structure } from '../entities/index.js';
import {
  MISE_EN_RELATION_STATUSES,
  OPEN_MATCH_STATUSES,
  type ContractType,
  type MiseEnRelationStatus,
  type Network,
  type RuptureReason,
} from '../entities/vocabulary.js';
import { setContract, validateContract, type ContractInput } from '../rules/contract.js';
import { distanceMetres } from '../rules/geography.js';
import { leavePost, requireTransition } from '../rules/mise-en-relation.js';
import { smicCentsOn } from '../rules/smic.js';
import { requireValidated } from '../rules/structure.js';
import { requireDate } from '../rules/validation.js';
import { today } from '../../../common/calendar.js';
import { actorOf, reachStructure, step, visibleMisesEnRelation, withFilter, type RecruitmentStep } from './access.js';
import { containsText, countByStatus } from './listing.js';
import { announceContract } from './events.js';
import { coordinatorPosts } from './posts.service.js';
import { currentPhase, occupiedPosts } from './quota.js';
import { structureWhere } from './structure.service.js';

/** Changes the status if the machine allows it (rules/mise-en-relation.ts), and logs who did it. */
export function moveMiseEnRelation(tx: EntityManager, mer: MiseEnRelation, to: MiseEnRelationStatus, actor?: string | null): void {
  requireTransition(mer.status, to);
  tx.create(MiseEnRelationEvent, { miseEnRelation: mer, fromStatus: mer.status, toStatus: to, actor: actor ?? null });
  mer.status = to;
}

/** A contract whose renewal waits for validation cannot end otherwise meanwhile. */
async function requireNoPendingRenewal(tx: EntityManager, mer: MiseEnRelation): Promise<void> {
  if (await tx.count(MiseEnRelation, { renewalOf: mer.id, status: 'RENOUVELLEMENT_INITIEE' })) {
    throw new ConflictError(`Mise en relation ${mer.id} has a renewal waiting for validation.`);
  }
}

function created(tx: EntityManager, mer: MiseEnRelation, actor?: string | null): void {
  tx.create(MiseEnRelationEvent, { miseEnRelation: mer, fromStatus: null, toStatus: mer.status, actor: actor ?? null });
}

/**
 * The mise en relation a step acts on, locked after its structure and its candidate (the order every recruitment
 * step locks them in) and read afresh with them; FORBIDDEN when its structure is outside the viewer's reach.
 */
async function lockMer(s: RecruitmentStep, id: number): Promise<MiseEnRelation> {
  // The pair a match links never changes, so it may be read before the locks.
  const link = await s.tx.findOne(MiseEnRelation, id, { fields: ['structure', 'conseiller'] });
  if (!link) throw new NotFoundError('MiseEnRelation', id);
  reachStructure(s, await s.lock(Structure, link.structure.id));
  await s.lock(Conseiller, link.conseiller.id);
  return s.lock(MiseEnRelation, id);
}

// ---------------------------------------------------------------------------------------------------------
// Lists

export interface MiseEnRelationFilter {
  structureId?: number | null;
  conseillerId?: number | null;
  status?: readonly MiseEnRelationStatus[] | null;
  hasContract?: boolean | null;
  contractType?: readonly ContractType[] | null;
  ruptureMissingDocuments?: boolean | null;
  departementCode?: string | null;
  regionCode?: string | null;
  communeCode?: string | null;
  sector?: readonly ('PUBLIC' | 'PRIVATE')[] | null;
  network?: readonly Network[] | null;
  isCoordinatorContract?: boolean | null;
  candidateHasPix?: boolean | null;
  candidateHasCv?: boolean | null;
  candidateHasDiploma?: boolean | null;
  contractStartFrom?: string | null;
  contractStartTo?: string | null;
  hasPendingExtension?: boolean | null;
  search?: string | null;
}

export function miseEnRelationWhere(
  filter: MiseEnRelationFilter | null | undefined,
  { ignoreStatus = false } = {},
): FilterQuery<MiseEnRelation> {
  const where: FilterQuery<MiseEnRelation> & Record<string, unknown> = {};
  if (!filter) return where;
  if (filter.structureId != null) where.structure = filter.structureId;
  if (filter.conseillerId != null) where.conseiller = filter.conseillerId;
  if (filter.status?.length && !ignoreStatus) where.status = { $in: [...filter.status] };
  if (filter.hasContract != null) where.contractType = filter.hasContract ? { $ne: null } : null;
  if (filter.contractType?.length) where.contractType = { $in: [...filter.contractType] };
  if (filter.ruptureMissingDocuments != null) where.ruptureMissingDocuments = filter.ruptureMissingDocuments;
  if (filter.isCoordinatorContract != null) where.isCoordinatorContract = filter.isCoordinatorContract;
  if (filter.contractStartFrom || filter.contractStartTo) {
    if (filter.contractStartFrom && filter.contractStartTo && filter.contractStartFrom > filter.contractStartTo) {
      throw new BadUserInputError('The range starts after it ends.', 'filter.contractStartFrom');
    }
    where.contractStartDate = {
      ...(filter.contractStartFrom ? { $gte: filter.contractStartFrom } : {}),
      ...(filter.contractStartTo ? { $lte: filter.contractStartTo } : {}),
    };
  }
  const structure = structureWhere({
    departementCode: filter.departementCode,
    regionCode: filter.regionCode,
    communeCode: filter.communeCode,
    sector: filter.sector,
    network: filter.network,
  });
  if (Object.keys(structure).length)
    where.structure = filter.structureId != null ? { $and: [{ id: filter.structureId }, structure] } : structure;
  // The admin's *prolongation_initiee* tab: contracts with an extension waiting for validation.
  if (filter.hasPendingExtension != null) where.extensions = { [filter.hasPendingExtension ? '$some' : '$none']: { status: 'INITIEE' } };
  // The structure's candidates tab filters (pix, cv, diplôme).
  const candidate: Record<string, unknown> = {};
  if (filter.candidateHasPix != null) candidate.pixShared = filter.candidateHasPix;
  if (filter.candidateHasCv != null) candidate.cvUploadedAt = filter.candidateHasCv ? { $ne: null } : null;
  if (filter.candidateHasDiploma != null) candidate.hasMedNumDiploma = filter.candidateHasDiploma;
  if (Object.keys(candidate).length) where.conseiller = filter.conseillerId != null ? { id: filter.conseillerId, ...candidate } : candidate;
  const search = filter.search?.trim();
  if (search) {
    where.$or = [{ conseiller: containsText('last_name', search) }, { structure: containsText('name', search) }];
  }
  return where;
}

export interface MiseEnRelationListArgs extends PageArgs {
  filter?: MiseEnRelationFilter | null;
  orderBy?: { field: 'ID' | 'CREATED_AT' | 'UPDATED_AT'; direction?: Direction | null } | null;
}

/** The mises en relation the viewer may read, filtered, sorted, keyset-paginated. */
export function listMisesEnRelation(em: EntityManager, viewer: Viewer, { filter, orderBy, ...page }: MiseEnRelationListArgs) {
  const sort = sortOf<MiseEnRelation, NonNullable<typeof orderBy>['field']>(
    orderBy,
    {
      ID: (direction) => byId(direction),
      CREATED_AT: (direction) => byDateTime('createdAt', direction),
      UPDATED_AT: (direction) => byDateTime('updatedAt', direction),
    },
    { field: 'ID', direction: 'ASC' },
  );
  return keysetPage(em, MiseEnRelation, withFilter(miseEnRelationWhere(filter), visibleMisesEnRelation(viewer)), sort, page);
}

/** Counts per status of the mises en relation the viewer may read. */
export function miseEnRelationStatusCounts(em: EntityManager, viewer: Viewer, filter: MiseEnRelationFilter | null | undefined) {
  return countByStatus(
    em,
    MiseEnRelation,
    withFilter(miseEnRelationWhere(filter, { ignoreStatus: true }), visibleMisesEnRelation(viewer)),
    MISE_EN_RELATION_STATUSES,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Candidate selection

/** Preselection: the pair's open `NOUVELLE` match becomes `INTERESSEE`, or a manual match is created. */
export async function preselectCandidate(
  em: EntityManager,
  viewer: Viewer,
  input: { structureId: number; conseillerId: number },
): Promise<MiseEnRelation> {
  return step(em, viewer, 'preselectCandidate', async (s) => {
    const { tx } = s;
    const structure = await s.lock(Structure, input.structureId);
    reachStructure(s, structure);
    requireValidated(structure, 'recruit');
    const conseiller = await s.lock(Conseiller, input.conseillerId);
    const pair = await s.lockAll(MiseEnRelation, {
      structure: structure.id,
      conseiller: conseiller.id,
      status: { $in: [...OPEN_MATCH_STATUSES, 'RECRUTEE', 'FINALISEE', 'NOUVELLE_RUPTURE', 'RENOUVELLEMENT_INITIEE'] },
    });
    const existing = pair.at(-1);
    if (existing) {
      if (existing.status === 'INTERESSEE') return existing;
      if (existing.status === 'NOUVELLE' || existing.status === 'NON_INTERESSEE') {
        // NON_INTERESSEE must go back to NOUVELLE first (reconsiderCandidate): the machine refuses it here.
        moveMiseEnRelation(tx, existing, 'INTERESSEE', actorOf(viewer));
        return existing;
      }
      throw new ConflictError(`Conseiller ${conseiller.id} already has a contract with structure ${structure.id} (${existing.status}).`);
    }
    if (!conseiller.isAvailable) throw new ConflictError(`Conseiller ${conseiller.id} is not available.`);
    const mer = tx.create(MiseEnRelation, {
      structure,
      conseiller,
      status: 'INTERESSEE',
      origin: 'MANUEL',
      distanceMeters: distanceMetres(structure, conseiller),
    });
    created(tx, mer, actorOf(viewer));
    return mer;
  });
}

/** `INTERESSEE` or `NOUVELLE` → `NON_INTERESSEE`: the structure turns the candidate down. */
export function rejectCandidate(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  return step(em, viewer, 'rejectCandidate', async (s) => {
    const mer = await lockMer(s, input.miseEnRelationId);
    moveMiseEnRelation(s.tx, mer, 'NON_INTERESSEE', actorOf(viewer));
    return mer;
  });
}

/** `NON_INTERESSEE` or `INTERESSEE` → `NOUVELLE`: the structure reconsiders the candidate. */
export function reconsiderCandidate(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  return step(em, viewer, 'reconsiderCandidate', async (s) => {
    const mer = await lockMer(s, input.miseEnRelationId);
    moveMiseEnRelation(s.tx, mer, 'NOUVELLE', actorOf(viewer));
    return mer;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Contracts

/** The quota rule, checked on the locked structure: one more post-holding contract must fit in the quota. */
async function requireFreePost(tx: EntityManager, structure: Structure, coordinator: boolean): Promise<void> {
  const occupied = await occupiedPosts(tx, structure.id);
  if (occupied >= structure.postQuota) {
    throw new QuotaExceededError(`Structure ${structure.id} already has ${occupied} contracts for ${structure.postQuota} posts granted.`, {
      structureId: String(structure.id),
      occupied,
      quota: structure.postQuota,
    });
  }
  if (coordinator) {
    const [posts, held] = await Promise.all([
      coordinatorPosts(tx, structure.id),
      occupiedPosts(tx, structure.id, { coordinatorOnly: true }),
    ]);
    if (held >= posts)
      throw new QuotaExceededError(`Structure ${structure.id} has no vacant coordinator post (${held} held for ${posts} granted).`, {
        structureId: String(structure.id),
      });
  }
}

/** A new contract must start after the candidate's last validated rupture. */
async function requireAfterLastRupture(tx: EntityManager, conseillerId: number, startDate: string, field: string): Promise<void> {
  const last = await tx.findOne(
    MiseEnRelation,
    { conseiller: conseillerId, status: 'FINALISEE_RUPTURE' },
    { orderBy: { ruptureDate: 'desc' } },
  );
  if (last?.ruptureDate && startDate <= last.ruptureDate) {
    throw new BadUserInputError(`The contract must start after the candidate's last rupture (${last.ruptureDate}).`, field);
  }
}

/**
 * The structure fills in the contract: `INTERESSEE` → `RECRUTEE`. The structure's row lock serialises concurrent
 * recruitments, so the quota check cannot be passed by two of them at once.
 */
export async function recruitCandidate(
  em: EntityManager,
  viewer: Viewer,
  input: { miseEnRelationId: number; contract: ContractInput; isCoordinatorContract?: boolean | null },
): Promise<MiseEnRelation> {
  return step(em, viewer, 'recruitCandidate', { check: () => validateContract(input.contract) }, async (s, contract) => {
    const { tx } = s;
    const mer = await lockMer(s, input.miseEnRelationId);
    const structure = mer.structure;
    requireTransition(mer.status, 'RECRUTEE');
    requireValidated(structure, 'recruit');
    if (mer.conseiller.status === 'RECRUTE') throw new ConflictError(`Conseiller ${mer.conseiller.id} is already in post.`);
    await requireAfterLastRupture(tx, mer.conseiller.id, contract.startDate, 'contract.startDate');
    await requireFreePost(tx, structure, input.isCoordinatorContract ?? false);
    setContract(mer, contract);
    mer.isCoordinatorContract = input.isCoordinatorContract ?? false;
    mer.recruitmentRequestedBy = actorOf(viewer);
    mer.recruitmentRequestedAt = new Date();
    moveMiseEnRelation(tx, mer, 'RECRUTEE', actorOf(viewer));
    await announceContract(s, recruitmentRequested, mer);
    return mer;
  });
}

/**
 * An administrator validates: `RECRUTEE` → `FINALISEE`. The person is now in post (`RECRUTE`, not available),
 * and their other open matches are closed (`FINALISEE_NON_DISPONIBLE`).
 */
export async function validateRecruitment(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  return step(em, viewer, 'validateRecruitment', async (s) => {
    const { tx } = s;
    const mer = await lockMer(s, input.miseEnRelationId);
    const conseiller = mer.conseiller;
    moveMiseEnRelation(tx, mer, 'FINALISEE', actorOf(viewer));
    if (conseiller.status === 'RECRUTE') throw new ConflictError(`Conseiller ${conseiller.id} is already in post elsewhere.`);
    // A structure in phase 2 (its latest committee decision) stamps phase 2 on its contracts.
    mer.phase = await currentPhase(tx, mer.structure.id);
    mer.recruitmentValidatedBy = actorOf(viewer);
    mer.recruitmentValidatedAt = new Date();
    conseiller.status = 'RECRUTE';
    conseiller.isAvailable = false;
    conseiller.structure = mer.structure;
    conseiller.startedAt = mer.contractStartDate;
    if (mer.isCoordinatorContract) conseiller.isCoordinator = true;
    const others = await s.lockAll(MiseEnRelation, {
      conseiller: conseiller.id,
      id: { $ne: mer.id },
      status: { $in: [...OPEN_MATCH_STATUSES] },
    });
    // Open matches hold no contract: closing them announces nothing.
    for (const other of others) moveMiseEnRelation(tx, other, 'FINALISEE_NON_DISPONIBLE', actorOf(viewer));
    await announceContract(s, contractSigned, mer);
    return mer;
  });
}

/** `RECRUTEE` → `INTERESSEE`: the recruitment is cancelled and the contract cleared. */
export async function cancelRecruitment(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  return step(em, viewer, 'cancelRecruitment', async (s) => {
    const mer = await lockMer(s, input.miseEnRelationId);
    moveMiseEnRelation(s.tx, mer, 'INTERESSEE', actorOf(viewer));
    mer.contractType = null;
    mer.contractStartDate = null;
    mer.contractEndDate = null;
    mer.grossMonthlySalaryCents = null;
    mer.isCoordinatorContract = false;
    mer.recruitmentRequestedBy = null;
    mer.recruitmentRequestedAt = null;
    await announceContract(s, recruitmentCancelled, mer);
    return mer;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Rupture

export async function declareRupture(
  em: EntityManager,
  viewer: Viewer,
  input: { miseEnRelationId: number; date: string; reason: RuptureReason },
): Promise<MiseEnRelation> {
  return step(em, viewer, 'declareRupture', { check: () => requireDate(input.date, 'date') }, async (s, date) => {
    const { tx } = s;
    const mer = await lockMer(s, input.miseEnRelationId);
    moveMiseEnRelation(tx, mer, 'NOUVELLE_RUPTURE', actorOf(viewer));
    await requireNoPendingRenewal(tx, mer);
    if (mer.contractStartDate && date < mer.contractStartDate)
      throw new BadUserInputError(`The rupture cannot be before the contract start (${mer.contractStartDate}).`, 'date');
    if (mer.contractEndDate && date > mer.contractEndDate)
      throw new BadUserInputError(`The rupture cannot be after the contract end (${mer.contractEndDate}).`, 'date');
    mer.ruptureDate = date;
    mer.ruptureReason = input.reason;
    mer.ruptureMissingDocuments = false;
    mer.ruptureDeclaredBy = actorOf(viewer);
    mer.ruptureDeclaredAt = new Date();
    await announceContract(s, ruptureDeclared, mer);
    return mer;
  });
}

/** The administrator's *pièces manquantes* flag; the rupture stays pending. */
export async function flagRuptureMissingDocuments(
  em: EntityManager,
  viewer: Viewer,
  input: { miseEnRelationId: number; missingDocuments: boolean },
): Promise<MiseEnRelation> {
  return step(em, viewer, 'flagRuptureMissingDocuments', async (s) => {
    const mer = await lockMer(s, input.miseEnRelationId);
    if (mer.status !== 'NOUVELLE_RUPTURE')
      throw new ConflictError(`Mise en relation ${mer.id} has no rupture waiting for validation (${mer.status}).`);
    mer.ruptureMissingDocuments = input.missingDocuments;
    return mer;
  });
}

/** `NOUVELLE_RUPTURE` → `FINALISEE_RUPTURE`: the person leaves the structure (`RUPTURE`) and may apply again. */
export async function validateRupture(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  return step(em, viewer, 'validateRupture', async (s) => {
    const mer = await lockMer(s, input.miseEnRelationId);
    if (mer.status === 'NOUVELLE_RUPTURE' && mer.ruptureMissingDocuments)
      throw new ConflictError(`The rupture of mise en relation ${mer.id} has missing documents.`);
    moveMiseEnRelation(s.tx, mer, 'FINALISEE_RUPTURE', actorOf(viewer));
    mer.ruptureValidatedBy = actorOf(viewer);
    mer.ruptureValidatedAt = new Date();
    leavePost(mer.conseiller, 'RUPTURE');
    await announceContract(s, ruptureValidated, mer);
    return mer;
  });
}

/** `NOUVELLE_RUPTURE` → `FINALISEE`: the structure withdraws its declaration. */
export async function cancelRupture(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  return step(em, viewer, 'cancelRupture', async (s) => {
    const mer = await lockMer(s, input.miseEnRelationId);
    moveMiseEnRelation(s.tx, mer, 'FINALISEE', actorOf(viewer));
    mer.ruptureDate = null;
    mer.ruptureReason = null;
    mer.ruptureMissingDocuments = false;
    mer.ruptureDeclaredBy = null;
    mer.ruptureDeclaredAt = null;
    await announceContract(s, ruptureCancelled, mer);
    return mer;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Extension, renewal, natural end

export async function requestContractExtension(
  em: EntityManager,
  viewer: Viewer,
  input: { miseEnRelationId: number; requestedEndDate: string; requestedSalaryCents?: number | null },
): Promise<MiseEnRelation> {
  const check = () => requireDate(input.requestedEndDate, 'requestedEndDate');
  return step(em, viewer, 'requestContractExtension', { check }, async (s, requestedEndDate) => {
    const { tx } = s;
    const mer = await lockMer(s, input.miseEnRelationId);
    if (mer.status !== 'FINALISEE')
      throw new ConflictError(`Only a contract in progress (FINALISEE) can be extended; mise en relation ${mer.id} is ${mer.status}.`);
    if (!mer.contractEndDate || !mer.grossMonthlySalaryCents)
      throw new ConflictError(`Mise en relation ${mer.id} has no end date to extend (CDI).`);
    if (requestedEndDate <= mer.contractEndDate)
      throw new BadUserInputError(`The new end date must be after ${mer.contractEndDate}.`, 'requestedEndDate');
    const salary = input.requestedSalaryCents ?? mer.grossMonthlySalaryCents;
    if (salary < smicCentsOn(today()))
      throw new BadUserInputError('The gross monthly salary must be at least the SMIC.', 'requestedSalaryCents');
    if (await tx.count(ContractExtension, { miseEnRelation: mer.id, status: 'INITIEE' }))
      throw new ConflictError(`Mise en relation ${mer.id} already has an extension waiting for validation.`);
    tx.create(ContractExtension, {
      miseEnRelation: mer,
      status: 'INITIEE',
      currentEndDate: mer.contractEndDate,
      requestedEndDate,
      currentSalaryCents: mer.grossMonthlySalaryCents,
      requestedSalaryCents: salary,
      requestedBy: actorOf(viewer),
    });
    return mer;
  });
}

export async function validateContractExtension(
  em: EntityManager,
  viewer: Viewer,
  input: { miseEnRelationId: number },
): Promise<MiseEnRelation> {
  return step(em, viewer, 'validateContractExtension', async (s) => {
    const mer = await lockMer(s, input.miseEnRelationId);
    const extension = await s.tx.findOne(ContractExtension, { miseEnRelation: mer.id, status: 'INITIEE' });
    if (!extension) throw new ConflictError(`Mise en relation ${mer.id} has no extension waiting for validation.`);
    if (mer.status !== 'FINALISEE') throw new ConflictError(`Mise en relation ${mer.id} is no longer in progress (${mer.status}).`);
    extension.status = 'VALIDEE';
    extension.validatedBy = actorOf(viewer);
    extension.validatedAt = new Date();
    mer.contractEndDate = extension.requestedEndDate;
    mer.grossMonthlySalaryCents = extension.requestedSalaryCents;
    await announceContract(s, contractExtended, mer);
    return mer;
  });
}

/** Phase-2 renewal: a new mise en relation copies a `FINALISEE` one, with its new contract, pointing back to it. */
export async function renewContract(
  em: EntityManager,
  viewer: Viewer,
  input: { miseEnRelationId: number; contract: ContractInput },
): Promise<MiseEnRelation> {
  return step(em, viewer, 'renewContract', { check: () => validateContract(input.contract) }, async (s, contract) => {
    const { tx } = s;
    const old = await lockMer(s, input.miseEnRelationId);
    if (old.status !== 'FINALISEE') throw new InvalidStatusTransitionError('MiseEnRelation', old.status, 'RENOUVELLEMENT_INITIEE');
    requireValidated(old.structure, 'renew contracts');
    if (await tx.count(MiseEnRelation, { renewalOf: old.id, status: { $in: ['RENOUVELLEMENT_INITIEE', 'FINALISEE'] } })) {
      throw new ConflictError(`Mise en relation ${old.id} is already being renewed.`);
    }
    if (old.contractStartDate && contract.startDate <= old.contractStartDate) {
      throw new BadUserInputError(`The renewal must start after the current contract (${old.contractStartDate}).`, 'contract.startDate');
    }
    const mer = tx.create(MiseEnRelation, {
      structure: old.structure,
      conseiller: old.conseiller,
      status: 'RENOUVELLEMENT_INITIEE',
      origin: old.origin,
      distanceMeters: old.distanceMeters,
      phase: 'PHASE_2',
      isCoordinatorContract: old.isCoordinatorContract,
      renewalOf: old,
      renewalRequestedBy: actorOf(viewer),
      renewalRequestedAt: new Date(),
    });
    setContract(mer, contract);
    created(tx, mer, actorOf(viewer));
    await announceContract(s, renewalRequested, mer);
    return mer;
  });
}

/** The renewal becomes the contract in progress (`FINALISEE`); the renewed one closes (`TERMINEE`). */
export async function validateRenewal(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  return step(em, viewer, 'validateRenewal', async (s) => {
    const { tx } = s;
    const mer = await lockMer(s, input.miseEnRelationId);
    if (mer.status !== 'RENOUVELLEMENT_INITIEE' || !mer.renewalOf)
      throw new InvalidStatusTransitionError('MiseEnRelation', mer.status, 'FINALISEE');
    const old = await s.lock(MiseEnRelation, mer.renewalOf.id);
    moveMiseEnRelation(tx, old, 'TERMINEE', actorOf(viewer));
    moveMiseEnRelation(tx, mer, 'FINALISEE', actorOf(viewer));
    mer.recruitmentValidatedBy = actorOf(viewer);
    mer.recruitmentValidatedAt = new Date();
    // The renewed contract ends before its renewal starts, in the outbox's order too.
    await announceContract(s, contractEnded, old);
    await announceContract(s, contractRenewed, mer);
    return mer;
  });
}

/** `FINALISEE` → `TERMINEE_NATURELLE` once the end date has passed; the person's contract is over (`TERMINE`). */
export async function endContract(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  return step(em, viewer, 'endContract', async (s) => {
    const { tx } = s;
    const mer = await lockMer(s, input.miseEnRelationId);
    if (mer.status === 'FINALISEE' && (!mer.contractEndDate || mer.contractEndDate >= today())) {
      throw new ConflictError(mer.contractEndDate ? `The contract runs until ${mer.contractEndDate}.` : 'A CDI has no end date.');
    }
    moveMiseEnRelation(tx, mer, 'TERMINEE_NATURELLE', actorOf(viewer));
    await requireNoPendingRenewal(tx, mer);
    leavePost(mer.conseiller, 'TERMINE');
    await announceContract(s, contractEnded, mer);
    return mer;
  });
}
