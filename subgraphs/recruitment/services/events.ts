import type { EntityManager } from '@mikro-orm/postgresql';
import { today } from '../../../common/calendar.js';
import type { Step } from '../../../common/steps.js';
import {
  contractEnded,
  contractRenewed,
  contractSigned,
  recruitmentRequested,
  renewalRequested,
  ruptureDeclared,
  ruptureValidated,
  structureApplied,
  structureClosed,
  structureDecided,
  type ContractEvent,
  type ContractState,
  type PostRequestDecided,
  type StructureEvent,
  type StructureState,
} from '../../../common/events/catalogue.js';
import type { MiseEnRelationStatus, Phase, StructureStatus } from '../entities/vocabulary.js';
import type { MiseEnRelation, PostRequest, Structure } from '../entities/index.js';
import { coordinatorPosts } from './posts.service.js';
import { currentPhase } from './quota.js';

/**
 * What recruitment's structure and contract events carry (common/events/catalogue.ts): the whole state after the
 * step, read from the rows the step holds locked, so two steps on one structure publish in commit order.
 */

/** A structure's state for its events: its row after the step, its coordinator posts and the phase of its last decision. */
export async function structureStateOf(tx: EntityManager, structure: Structure): Promise<StructureState> {
  await tx.flush();
  return structureState(structure, await coordinatorPosts(tx, structure.id), await currentPhase(tx, structure.id));
}

/** The state from the row and what is counted beside it (the consistency check reads them in bulk). */
export function structureState(structure: Structure, coordinatorPosts: number, phase: Phase): StructureState {
  return {
    structureId: structure.id,
    name: structure.name,
    type: structure.type,
    sector: structure.type === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC',
    status: structure.status,
    network: structure.network ?? null,
    departementCode: structure.departementCode,
    regionCode: structure.regionCode,
    communeCode: structure.communeCode,
    advisorPosts: structure.postQuota,
    coordinatorPosts,
    phase,
    isZrr: structure.isZrr,
    isQpv: structure.qpvStatus === 'OUI',
  };
}

/** A mise en relation's contract state for its events. */
export function contractStateOf(mer: MiseEnRelation): ContractState {
  return {
    miseEnRelationId: mer.id,
    conseillerId: mer.conseiller.id,
    structureId: mer.structure.id,
    status: mer.status,
    phase: mer.phase,
    coordinator: mer.isCoordinatorContract,
    contract:
      mer.contractType && mer.contractStartDate
        ? {
            type: mer.contractType,
            startDate: mer.contractStartDate,
            endDate: mer.contractEndDate ?? null,
            grossMonthlySalaryCents: mer.grossMonthlySalaryCents ?? null,
          }
        : null,
    ruptureDate: mer.ruptureDate ?? null,
    renewalOfId: mer.renewalOf?.id ?? null,
  };
}

/** A post request's decision as `postRequestDecided` carries it, decided today. */
export function postRequestDecisionOf(request: PostRequest): PostRequestDecided {
  return {
    postRequestId: request.id,
    structureId: request.structure.id,
    type: request.type,
    coordinator: request.isCoordinatorPost,
    accepted: request.status === 'VALIDEE',
    postsBefore: request.postsBefore,
    postsRequested: request.postsRequested,
    postsGranted: request.postsGranted ?? null,
    reason: request.reason,
    reasonDetail: request.otherReason ?? null,
    prefectOpinion: request.prefectOpinion ?? null,
    requestedOn: request.requestedAt.toISOString().slice(0, 10),
    decidedOn: today(),
    phase: request.phase,
  };
}

/** What a step announces with: its transaction (to read the state after the change) and its outbox. */
type Announcing = Pick<Step, 'tx' | 'emit'>;

/** Announces a structure a step changed, with its state once the step's changes are flushed (a new one has its id then). */
export async function announceStructure(s: Announcing, event: StructureEvent, structure: Structure): Promise<void> {
  const state = await structureStateOf(s.tx, structure);
  s.emit(event, state.structureId, state);
}

/** Announces a mise en relation's contract a step changed; flushed first, so a new mise en relation has its id. */
export async function announceContract(s: Announcing, event: ContractEvent, mer: MiseEnRelation): Promise<void> {
  await s.tx.flush();
  s.emit(event, mer.id, contractStateOf(mer));
}

/**
 * The event that announces a structure in `status` when only its state is known (the demo seed writes each
 * structure's final state at once): applied, closed without a decision, or decided.
 */
export function structureEventFor(status: StructureStatus): StructureEvent {
  if (status === 'CREEE') return structureApplied;
  if (status === 'DOUBLON' || status === 'ABANDON') return structureClosed;
  return structureDecided;
}

/**
 * The event that announces a contract in `status` when only its state is known (the demo seed), or undefined for a
 * match that never had a contract.
 */
export function contractEventFor(status: MiseEnRelationStatus, isRenewal: boolean): ContractEvent | undefined {
  switch (status) {
    case 'RECRUTEE':
      return recruitmentRequested;
    case 'FINALISEE':
      return isRenewal ? contractRenewed : contractSigned;
    case 'NOUVELLE_RUPTURE':
      return ruptureDeclared;
    case 'FINALISEE_RUPTURE':
      return ruptureValidated;
    case 'RENOUVELLEMENT_INITIEE':
      return renewalRequested;
    case 'TERMINEE':
    case 'TERMINEE_NATURELLE':
      return contractEnded;
    default:
      return undefined;
  }
}
