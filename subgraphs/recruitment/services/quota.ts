import type { EntityManager } from '@mikro-orm/postgresql';
import { QuotaExceededError } from '../../../common/errors.js';
import { CoselecDecision, MiseEnRelation, Structure } from '../entities/index.js';
import { POST_HOLDING_STATUSES, type CoselecOpinion, type CoselecType, type Phase, type StructureStatus } from '../entities/vocabulary.js';
import { moveStructure } from '../rules/structure.js';
import type { RecruitmentStep } from './access.js';

/**
 * The quota rule, on the database (the structure's status machine is in rules/structure.ts). Every write that
 * changes a structure's quota or the number of its post-holding contracts first takes the structure's row lock
 * (SELECT … FOR UPDATE) inside its transaction, so concurrent recruitments are serialised per structure and the
 * count they check stays true until they commit.
 */

/** Locks two structures in id order, so two transfers between the same pair cannot deadlock. */
export async function lockStructures({ lock }: RecruitmentStep, a: number, b: number): Promise<[Structure, Structure]> {
  const [low, high] = a < b ? [a, b] : [b, a];
  const first = await lock(Structure, low);
  const second = await lock(Structure, high);
  return a < b ? [first, second] : [second, first];
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
