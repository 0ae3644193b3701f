import type { EntityManager } from '@mikro-orm/postgresql';
import { InvalidStatusTransitionError, QuotaExceededError } from '../../../common/errors.js';
import { lockRow } from '../../../common/write.js';
import { Conseiller, CoselecDecision, MiseEnRelation, Structure } from '../entities/index.js';
import { POST_HOLDING_STATUSES, type CoselecOpinion, type CoselecType, type Phase, type StructureStatus } from '../entities/vocabulary.js';

/**
 * The quota rule and the structure's status machine. Every write that changes a structure's quota or the number
 * of its post-holding contracts first takes the structure's row lock (SELECT … FOR UPDATE) inside its
 * transaction, so concurrent recruitments are serialised per structure and the count they check stays true
 * until they commit.
 */
export function lockStructure(tx: EntityManager, id: number): Promise<Structure> {
  return lockRow(tx, Structure, id);
}

/** Locks two structures in id order, so two transfers between the same pair cannot deadlock. */
export async function lockStructures(tx: EntityManager, a: number, b: number): Promise<[Structure, Structure]> {
  const [low, high] = a < b ? [a, b] : [b, a];
  const first = await lockStructure(tx, low);
  const second = await lockStructure(tx, high);
  return a < b ? [first, second] : [second, first];
}

export function lockConseiller(tx: EntityManager, id: number): Promise<Conseiller> {
  return lockRow(tx, Conseiller, id);
}

/** Contracts holding one of the structure's posts (`RECRUTEE`, `FINALISEE`, `NOUVELLE_RUPTURE`). */
export function occupiedPosts(em: EntityManager, structureId: number, options: { coordinatorOnly?: boolean } = {}): Promise<number> {
  return em.count(MiseEnRelation, {
    structure: structureId,
    status: { $in: [...POST_HOLDING_STATUSES] },
    ...(options.coordinatorOnly ? { isCoordinatorContract: true } : {}),
  });
}

/** Refuses a quota below the posts already held. */
export async function requireQuotaCovers(tx: EntityManager, structure: Structure, newQuota: number): Promise<void> {
  const occupied = await occupiedPosts(tx, structure.id);
  if (newQuota < occupied) {
    throw new QuotaExceededError(
      `Structure ${structure.id} has ${occupied} posts held by contracts: its quota cannot go down to ${newQuota}.`,
      {
        structureId: String(structure.id),
        occupied,
        quota: newQuota,
      },
    );
  }
}

/** The structure statuses each status may move to (domain §1.1, §2.1, §2.4, §2.6). */
export const STRUCTURE_TRANSITIONS: Record<StructureStatus, readonly StructureStatus[]> = {
  CREEE: ['EXAMEN_COMPLEMENTAIRE_COSELEC', 'VALIDATION_COSELEC', 'REFUS_COSELEC', 'DOUBLON', 'ABANDON', 'REFUS_COORDINATEUR'],
  EXAMEN_COMPLEMENTAIRE_COSELEC: ['EXAMEN_COMPLEMENTAIRE_COSELEC', 'VALIDATION_COSELEC', 'REFUS_COSELEC', 'DOUBLON', 'ABANDON'],
  // A new decision keeps it validated; quota 0 cancels it (admin) or ends it (all posts handed back).
  VALIDATION_COSELEC: ['VALIDATION_COSELEC', 'ANNULEE', 'ABANDON'],
  // An administrator may grant posts again to a cancelled structure.
  ANNULEE: ['VALIDATION_COSELEC'],
  REFUS_COSELEC: [],
  ABANDON: [],
  DOUBLON: [],
  REFUS_COORDINATEUR: [],
};

export function moveStructure(structure: Structure, to: StructureStatus): void {
  if (!STRUCTURE_TRANSITIONS[structure.status].includes(to)) throw new InvalidStatusTransitionError('Structure', structure.status, to);
  if (to === 'VALIDATION_COSELEC' && !structure.validatedAt) structure.validatedAt = new Date();
  structure.status = to;
}

export interface DecisionInput {
  opinion: CoselecOpinion;
  postsGranted: number;
  number?: string | null;
  phase: Phase;
  type?: CoselecType;
  isPriority?: boolean;
  observations?: string | null;
  validator?: string | null;
}

/**
 * Appends a committee decision to a locked structure and applies it: the decision's posts become the quota
 * (never below the posts held) and the status follows.
 */
export async function appendDecision(
  tx: EntityManager,
  structure: Structure,
  input: DecisionInput,
  status: StructureStatus,
): Promise<CoselecDecision> {
  if (input.postsGranted < structure.postQuota) await requireQuotaCovers(tx, structure, input.postsGranted);
  moveStructure(structure, status);
  structure.postQuota = input.postsGranted;
  structure.coselecAt = new Date();
  return tx.create(CoselecDecision, {
    structure,
    postsGranted: input.postsGranted,
    opinion: input.opinion,
    number: input.number ?? null,
    phase: input.phase,
    type: input.type ?? 'CONSEILLER',
    isPriority: input.isPriority ?? false,
    observations: input.observations ?? null,
    validator: input.validator ?? null,
  });
}

/** The phase of the structure's latest decision (new requests belong to it); phase 1 before any. */
export async function currentPhase(tx: EntityManager, structureId: number): Promise<Phase> {
  const latest = await tx.findOne(CoselecDecision, { structure: structureId }, { orderBy: { id: 'desc' } });
  return latest?.phase ?? 'PHASE_1';
}
