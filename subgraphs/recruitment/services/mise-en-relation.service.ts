import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import {
  BadUserInputError,
  ConflictError,
  InvalidStatusTransitionError,
  NotFoundError,
  QuotaExceededError,
} from '../../../common/errors.js';
import { lockRow, lockRows, writeStep } from '../../../common/write.js';
import type { Structure } from '../entities/index.js';
import { ContractExtension, MiseEnRelation, MiseEnRelationEvent } from '../entities/index.js';
import {
  MISE_EN_RELATION_STATUSES,
  OPEN_MATCH_STATUSES,
  type ContractType,
  type MiseEnRelationStatus,
  type Network,
  type RuptureReason,
} from '../entities/vocabulary.js';
import { distanceMetres } from './geography.js';
import { byDateTime, byId, keysetPage, type Direction, type PageArgs } from '../../../common/pagination.js';
import { containsText, countByStatus } from './listing.js';
import { coordinatorPosts } from './posts.service.js';
import type { Viewer } from '../../../common/viewer.js';
import { actorOf, assertMayTake, assertStructureInReach, visibleMisesEnRelation, withFilter, type WriteAction } from './access.js';
import { requireValidated } from './errors.js';
import { currentPhase, lockConseiller, lockStructure, occupiedPosts } from './quota.js';
import { smicCentsOn } from './smic.js';
import { structureWhere } from './structure.service.js';
import { requireDate, today } from './validation.js';

/**
 * The mise en relation state machine (domain §2.2, §2.3, §2.5): the only moves allowed from each status. Anything
 * else is an INVALID_STATUS_TRANSITION error.
 */
export const MISE_EN_RELATION_TRANSITIONS: Record<MiseEnRelationStatus, readonly MiseEnRelationStatus[]> = {
  NOUVELLE: ['INTERESSEE', 'NON_INTERESSEE', 'NON_DISPONIBLE', 'FINALISEE_NON_DISPONIBLE'],
  INTERESSEE: ['RECRUTEE', 'NON_INTERESSEE', 'NOUVELLE', 'NON_DISPONIBLE', 'FINALISEE_NON_DISPONIBLE'],
  NON_INTERESSEE: ['NOUVELLE', 'NON_DISPONIBLE', 'FINALISEE_NON_DISPONIBLE'],
  // Validated by an administrator, or cancelled back to a preselection.
  RECRUTEE: ['FINALISEE', 'INTERESSEE'],
  // Rupture declared, end date reached, or closed by its validated renewal.
  FINALISEE: ['NOUVELLE_RUPTURE', 'TERMINEE_NATURELLE', 'TERMINEE'],
  // Validated, or withdrawn by the structure.
  NOUVELLE_RUPTURE: ['FINALISEE_RUPTURE', 'FINALISEE'],
  RENOUVELLEMENT_INITIEE: ['FINALISEE'],
  FINALISEE_RUPTURE: [],
  TERMINEE: [],
  TERMINEE_NATURELLE: [],
  FINALISEE_NON_DISPONIBLE: [],
  NON_DISPONIBLE: [],
};

/** Changes the status if the machine allows it, and logs who did it. */
export function moveMiseEnRelation(tx: EntityManager, mer: MiseEnRelation, to: MiseEnRelationStatus, actor?: string | null): void {
  if (!MISE_EN_RELATION_TRANSITIONS[mer.status].includes(to)) throw new InvalidStatusTransitionError('MiseEnRelation', mer.status, to);
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
async function lockMer(tx: EntityManager, viewer: Viewer, id: number, action: WriteAction): Promise<MiseEnRelation> {
  // The pair a match links never changes, so it may be read before the locks.
  const link = await tx.findOne(MiseEnRelation, id, { fields: ['structure', 'conseiller'] });
  if (!link) throw new NotFoundError('MiseEnRelation', id);
  const structure = await lockStructure(tx, link.structure.id);
  assertStructureInReach(viewer, structure, action);
  await lockConseiller(tx, link.conseiller.id);
  return lockRow(tx, MiseEnRelation, id);
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
export function listMisesEnRelation(em: EntityManager, viewer: Viewer, args: MiseEnRelationListArgs) {
  const direction = args.orderBy?.direction ?? 'ASC';
  const sort = {
    ID: () => byId<MiseEnRelation>(direction),
    CREATED_AT: () => byDateTime<MiseEnRelation>('createdAt', direction),
    UPDATED_AT: () => byDateTime<MiseEnRelation>('updatedAt', direction),
  }[args.orderBy?.field ?? 'ID']();
  return keysetPage(em, MiseEnRelation, withFilter(miseEnRelationWhere(args.filter), visibleMisesEnRelation(viewer)), sort, args);
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
  assertMayTake(viewer, 'preselectCandidate');
  return writeStep(em, async (tx) => {
    const structure = await lockStructure(tx, input.structureId);
    assertStructureInReach(viewer, structure, 'preselectCandidate');
    requireValidated(structure, 'recruit');
    const conseiller = await lockConseiller(tx, input.conseillerId);
    const pair = await lockRows(tx, MiseEnRelation, {
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

/** A structure-side move that needs no other check: reject (`NON_INTERESSEE`) or reconsider (`NOUVELLE`). */
export async function moveCandidate(
  em: EntityManager,
  viewer: Viewer,
  input: { miseEnRelationId: number },
  to: 'NON_INTERESSEE' | 'NOUVELLE',
): Promise<MiseEnRelation> {
  const action = to === 'NON_INTERESSEE' ? 'rejectCandidate' : 'reconsiderCandidate';
  assertMayTake(viewer, action);
  return writeStep(em, async (tx) => {
    const mer = await lockMer(tx, viewer, input.miseEnRelationId, action);
    moveMiseEnRelation(tx, mer, to, actorOf(viewer));
    return mer;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Contracts

export interface ContractInput {
  type: ContractType;
  startDate: string;
  endDate?: string | null;
  grossMonthlySalaryCents: number;
}

/** Contract rules: dates coherent with the type (no end for a CDI), salary at least the SMIC on the start date. */
export function validateContract(input: ContractInput, field = 'contract'): Required<ContractInput> {
  const startDate = requireDate(input.startDate, `${field}.startDate`);
  let endDate: string | null = null;
  if (input.type === 'CDI') {
    if (input.endDate) throw new BadUserInputError('A CDI has no end date.', `${field}.endDate`);
  } else {
    if (!input.endDate) throw new BadUserInputError(`A ${input.type} needs an end date.`, `${field}.endDate`);
    endDate = requireDate(input.endDate, `${field}.endDate`);
    if (endDate <= startDate) throw new BadUserInputError('The end date must be after the start date.', `${field}.endDate`);
  }
  const smic = smicCentsOn(startDate);
  if (!Number.isSafeInteger(input.grossMonthlySalaryCents) || input.grossMonthlySalaryCents < smic) {
    throw new BadUserInputError(
      `The gross monthly salary must be at least the SMIC in force on ${startDate} (${smic} cents).`,
      `${field}.grossMonthlySalaryCents`,
      { smicCents: smic },
    );
  }
  return { type: input.type, startDate, endDate, grossMonthlySalaryCents: input.grossMonthlySalaryCents };
}

function setContract(mer: MiseEnRelation, contract: Required<ContractInput>): void {
  mer.contractType = contract.type;
  mer.contractStartDate = contract.startDate;
  mer.contractEndDate = contract.endDate;
  mer.grossMonthlySalaryCents = contract.grossMonthlySalaryCents;
}

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
  assertMayTake(viewer, 'recruitCandidate');
  const contract = validateContract(input.contract);
  return writeStep(em, async (tx) => {
    const mer = await lockMer(tx, viewer, input.miseEnRelationId, 'recruitCandidate');
    const structure = mer.structure;
    if (!MISE_EN_RELATION_TRANSITIONS[mer.status].includes('RECRUTEE'))
      throw new InvalidStatusTransitionError('MiseEnRelation', mer.status, 'RECRUTEE');
    requireValidated(structure, 'recruit');
    if (mer.conseiller.status === 'RECRUTE') throw new ConflictError(`Conseiller ${mer.conseiller.id} is already in post.`);
    await requireAfterLastRupture(tx, mer.conseiller.id, contract.startDate, 'contract.startDate');
    await requireFreePost(tx, structure, input.isCoordinatorContract ?? false);
    setContract(mer, contract);
    mer.isCoordinatorContract = input.isCoordinatorContract ?? false;
    mer.recruitmentRequestedBy = actorOf(viewer);
    mer.recruitmentRequestedAt = new Date();
    moveMiseEnRelation(tx, mer, 'RECRUTEE', actorOf(viewer));
    return mer;
  });
}

/**
 * An administrator validates: `RECRUTEE` → `FINALISEE`. The person is now in post (`RECRUTE`, not available),
 * and their other open matches are closed (`FINALISEE_NON_DISPONIBLE`).
 */
export async function validateRecruitment(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  assertMayTake(viewer, 'validateRecruitment');
  return writeStep(em, async (tx) => {
    const mer = await lockMer(tx, viewer, input.miseEnRelationId, 'validateRecruitment');
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
    const others = await lockRows(tx, MiseEnRelation, {
      conseiller: conseiller.id,
      id: { $ne: mer.id },
      status: { $in: [...OPEN_MATCH_STATUSES] },
    });
    for (const other of others) moveMiseEnRelation(tx, other, 'FINALISEE_NON_DISPONIBLE', actorOf(viewer));
    return mer;
  });
}

/** `RECRUTEE` → `INTERESSEE`: the recruitment is cancelled and the contract cleared. */
export async function cancelRecruitment(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  assertMayTake(viewer, 'cancelRecruitment');
  return writeStep(em, async (tx) => {
    const mer = await lockMer(tx, viewer, input.miseEnRelationId, 'cancelRecruitment');
    moveMiseEnRelation(tx, mer, 'INTERESSEE', actorOf(viewer));
    mer.contractType = null;
    mer.contractStartDate = null;
    mer.contractEndDate = null;
    mer.grossMonthlySalaryCents = null;
    mer.isCoordinatorContract = false;
    mer.recruitmentRequestedBy = null;
    mer.recruitmentRequestedAt = null;
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
  assertMayTake(viewer, 'declareRupture');
  const date = requireDate(input.date, 'date');
  return writeStep(em, async (tx) => {
    const mer = await lockMer(tx, viewer, input.miseEnRelationId, 'declareRupture');
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
    return mer;
  });
}

/** The administrator's *pièces manquantes* flag; the rupture stays pending. */
export async function flagRuptureMissingDocuments(
  em: EntityManager,
  viewer: Viewer,
  input: { miseEnRelationId: number; missingDocuments: boolean },
): Promise<MiseEnRelation> {
  assertMayTake(viewer, 'flagRuptureMissingDocuments');
  return writeStep(em, async (tx) => {
    const mer = await lockMer(tx, viewer, input.miseEnRelationId, 'flagRuptureMissingDocuments');
    if (mer.status !== 'NOUVELLE_RUPTURE')
      throw new ConflictError(`Mise en relation ${mer.id} has no rupture waiting for validation (${mer.status}).`);
    mer.ruptureMissingDocuments = input.missingDocuments;
    return mer;
  });
}

/** `NOUVELLE_RUPTURE` → `FINALISEE_RUPTURE`: the person leaves the structure (`RUPTURE`) and may apply again. */
export async function validateRupture(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  assertMayTake(viewer, 'validateRupture');
  return writeStep(em, async (tx) => {
    const mer = await lockMer(tx, viewer, input.miseEnRelationId, 'validateRupture');
    if (mer.status === 'NOUVELLE_RUPTURE' && mer.ruptureMissingDocuments)
      throw new ConflictError(`The rupture of mise en relation ${mer.id} has missing documents.`);
    moveMiseEnRelation(tx, mer, 'FINALISEE_RUPTURE', actorOf(viewer));
    mer.ruptureValidatedBy = actorOf(viewer);
    mer.ruptureValidatedAt = new Date();
    leavePost(mer.conseiller, 'RUPTURE');
    return mer;
  });
}

function leavePost(conseiller: MiseEnRelation['conseiller'], status: 'RUPTURE' | 'TERMINE'): void {
  conseiller.status = status;
  conseiller.structure = null;
  conseiller.isAvailable = true;
  conseiller.isCoordinator = false;
  conseiller.coordinationScope = null;
  conseiller.coordinatedItems = null;
}

/** `NOUVELLE_RUPTURE` → `FINALISEE`: the structure withdraws its declaration. */
export async function cancelRupture(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  assertMayTake(viewer, 'cancelRupture');
  return writeStep(em, async (tx) => {
    const mer = await lockMer(tx, viewer, input.miseEnRelationId, 'cancelRupture');
    moveMiseEnRelation(tx, mer, 'FINALISEE', actorOf(viewer));
    mer.ruptureDate = null;
    mer.ruptureReason = null;
    mer.ruptureMissingDocuments = false;
    mer.ruptureDeclaredBy = null;
    mer.ruptureDeclaredAt = null;
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
  assertMayTake(viewer, 'requestContractExtension');
  const requestedEndDate = requireDate(input.requestedEndDate, 'requestedEndDate');
  return writeStep(em, async (tx) => {
    const mer = await lockMer(tx, viewer, input.miseEnRelationId, 'requestContractExtension');
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
  assertMayTake(viewer, 'validateContractExtension');
  return writeStep(em, async (tx) => {
    const mer = await lockMer(tx, viewer, input.miseEnRelationId, 'validateContractExtension');
    const extension = await tx.findOne(ContractExtension, { miseEnRelation: mer.id, status: 'INITIEE' });
    if (!extension) throw new ConflictError(`Mise en relation ${mer.id} has no extension waiting for validation.`);
    if (mer.status !== 'FINALISEE') throw new ConflictError(`Mise en relation ${mer.id} is no longer in progress (${mer.status}).`);
    extension.status = 'VALIDEE';
    extension.validatedBy = actorOf(viewer);
    extension.validatedAt = new Date();
    mer.contractEndDate = extension.requestedEndDate;
    mer.grossMonthlySalaryCents = extension.requestedSalaryCents;
    return mer;
  });
}

/** Phase-2 renewal: a new mise en relation copies a `FINALISEE` one, with its new contract, pointing back to it. */
export async function renewContract(
  em: EntityManager,
  viewer: Viewer,
  input: { miseEnRelationId: number; contract: ContractInput },
): Promise<MiseEnRelation> {
  assertMayTake(viewer, 'renewContract');
  const contract = validateContract(input.contract);
  return writeStep(em, async (tx) => {
    const old = await lockMer(tx, viewer, input.miseEnRelationId, 'renewContract');
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
    return mer;
  });
}

/** The renewal becomes the contract in progress (`FINALISEE`); the renewed one closes (`TERMINEE`). */
export async function validateRenewal(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  assertMayTake(viewer, 'validateRenewal');
  return writeStep(em, async (tx) => {
    const mer = await lockMer(tx, viewer, input.miseEnRelationId, 'validateRenewal');
    if (mer.status !== 'RENOUVELLEMENT_INITIEE' || !mer.renewalOf)
      throw new InvalidStatusTransitionError('MiseEnRelation', mer.status, 'FINALISEE');
    const old = await lockRow(tx, MiseEnRelation, mer.renewalOf.id);
    moveMiseEnRelation(tx, old, 'TERMINEE', actorOf(viewer));
    moveMiseEnRelation(tx, mer, 'FINALISEE', actorOf(viewer));
    mer.recruitmentValidatedBy = actorOf(viewer);
    mer.recruitmentValidatedAt = new Date();
    return mer;
  });
}

/** `FINALISEE` → `TERMINEE_NATURELLE` once the end date has passed; the person's contract is over (`TERMINE`). */
export async function endContract(em: EntityManager, viewer: Viewer, input: { miseEnRelationId: number }): Promise<MiseEnRelation> {
  assertMayTake(viewer, 'endContract');
  return writeStep(em, async (tx) => {
    const mer = await lockMer(tx, viewer, input.miseEnRelationId, 'endContract');
    if (mer.status === 'FINALISEE' && (!mer.contractEndDate || mer.contractEndDate >= today())) {
      throw new ConflictError(mer.contractEndDate ? `The contract runs until ${mer.contractEndDate}.` : 'A CDI has no end date.');
    }
    moveMiseEnRelation(tx, mer, 'TERMINEE_NATURELLE', actorOf(viewer));
    await requireNoPendingRenewal(tx, mer);
    leavePost(mer.conseiller, 'TERMINE');
    return mer;
  });
}
