import { z } from 'zod';
import { NETWORKS, STRUCTURE_STATUSES, STRUCTURE_TYPES } from '../demo/world.js';
import { CONTRACT_TYPES, MISE_EN_RELATION_STATUSES, PHASES, PREFECT_OPINIONS, SECTORS } from '../programme.js';
import type { IsoDate } from '../calendar.js';
import { defineEvent, type PayloadOf } from './event.js';

/**
 * Every domain event the subgraphs exchange (README, Domain events), declared once: producers emit them from their
 * write steps (common/steps.ts `emit`), consumers register handlers for them (inbox.ts).
 *
 * Recruitment owns structures, quotas, post requests and contracts; the others keep a copy of the few facts their
 * rules need. So that a copy can always be rebuilt from the last event alone (a replay, a consumer that missed
 * some), the structure and contract events carry the whole state after the change, not only what changed; the
 * event's type says what happened. A copy keeps the outbox `sequence` of the event it applied and ignores an older
 * one delivered late.
 */

const id = z.number().int().positive();
const count = z.number().int().nonnegative();
const isoDate = z.iso.date();

/** A structure as the other subgraphs need it (docs/domain.md §1.1, §1.2): where it is, its status, its posts. */
export const structureState = z.object({
  structureId: id,
  name: z.string().min(1),
  type: z.enum(STRUCTURE_TYPES),
  /** PRIVATE for the private type, PUBLIC for every other. */
  sector: z.enum(SECTORS),
  status: z.enum(STRUCTURE_STATUSES),
  network: z.enum(NETWORKS).nullable(),
  departementCode: z.string().min(2).max(3),
  regionCode: z.string().min(2).max(3),
  communeCode: z.string().length(5),
  /** Advisor posts granted by the committee (the quota). */
  advisorPosts: count,
  /** Coordinator posts granted on top of them. */
  coordinatorPosts: count,
  /** The phase of its latest committee decision. */
  phase: z.enum(PHASES),
  isZrr: z.boolean(),
  isQpv: z.boolean(),
});
export type StructureState = z.output<typeof structureState>;

/**
 * A mise en relation's contract as the other subgraphs need it (docs/domain.md §1.3, §1.4): who, where, its status
 * and dates. `contract` is null once a recruitment was cancelled.
 */
export const contractState = z.object({
  miseEnRelationId: id,
  conseillerId: id,
  structureId: id,
  status: z.enum(MISE_EN_RELATION_STATUSES),
  phase: z.enum(PHASES),
  coordinator: z.boolean(),
  contract: z
    .object({
      type: z.enum(CONTRACT_TYPES),
      startDate: isoDate,
      endDate: isoDate.nullable(),
      grossMonthlySalaryCents: count.nullable(),
    })
    .nullable(),
  ruptureDate: isoDate.nullable(),
  /** The contract a phase-2 renewal follows. */
  renewalOfId: id.nullable(),
});
export type ContractState = z.output<typeof contractState>;

const structureEvent = <const T extends string>(type: T) =>
  defineEvent({ type, producer: 'recruitment', version: 1, payload: structureState });
const contractEvent = <const T extends string>(type: T, version = 1) =>
  defineEvent({ type, producer: 'recruitment', version, payload: contractState });

/** A structure applied (`CREEE`). */
export const structureApplied = structureEvent('recruitment.structure-applied');
/**
 * A committee decision changed a structure's status or posts: an application decided, a post request or a
 * coordinator request accepted, posts transferred in or out.
 */
export const structureDecided = structureEvent('recruitment.structure-decided');
/** An application closed without a decision (`DOUBLON`, `ABANDON`). */
export const structureClosed = structureEvent('recruitment.structure-closed');

/** A structure filled in a contract and asked for its validation (`RECRUTEE`): the contract is being signed. */
export const recruitmentRequested = contractEvent('recruitment.recruitment-requested');
/** The recruitment was cancelled before validation (`RECRUTEE` → `INTERESSEE`). */
export const recruitmentCancelled = contractEvent('recruitment.recruitment-cancelled');
/** The recruitment was validated (`FINALISEE`): the advisor is in post from the contract's start. */
export const contractSigned = contractEvent('recruitment.contract-signed');
/** The structure declared the early end of a contract (`NOUVELLE_RUPTURE`); the advisor is still in post until validated. */
export const ruptureDeclared = contractEvent('recruitment.rupture-declared');
/** The structure withdrew its declaration (`NOUVELLE_RUPTURE` → `FINALISEE`). */
export const ruptureCancelled = contractEvent('recruitment.rupture-cancelled');
/** A phase-2 renewal was asked for (`RENOUVELLEMENT_INITIEE`, `renewalOfId` the contract it follows), to be validated. */
export const renewalRequested = contractEvent('recruitment.renewal-requested');
/** A fixed-term contract's extension was validated: new end date and salary. */
export const contractExtended = contractEvent('recruitment.contract-extended');
/**
 * The early end of a contract was validated (`FINALISEE_RUPTURE`): the advisor left the structure on `ruptureDate`.
 * Version 2 carries the whole contract, as every contract event.
 */
export const ruptureValidated = contractEvent('recruitment.rupture-validated', 2);
/** A phase-2 renewal was validated: this contract (`renewalOfId` the previous one) is the one in progress. */
export const contractRenewed = contractEvent('recruitment.contract-renewed');
/** A contract ended on its planned end: naturally (`TERMINEE_NATURELLE`) or replaced by its renewal (`TERMINEE`). */
export const contractEnded = contractEvent('recruitment.contract-ended');

/**
 * A post request (*avenant*: AJOUT adds posts, RETRAIT hands vacant ones back) was decided, with the prefecture's
 * opinion it had. One request, one opinion, one decision, in recruitment; conventions records the amendment and,
 * when accepted, applies it to the structure's running agreement. The structure's new quota follows in a
 * `structure-decided` event of the same step.
 */
export const postRequestDecided = defineEvent({
  type: 'recruitment.post-request-decided',
  producer: 'recruitment',
  version: 1,
  payload: z.object({
    postRequestId: id,
    structureId: id,
    type: z.enum(['AJOUT', 'RETRAIT']),
    coordinator: z.boolean(),
    accepted: z.boolean(),
    /** Quota when requested. */
    postsBefore: count,
    postsRequested: count,
    /** Posts granted (AJOUT accepted), else null. */
    postsGranted: count.nullable(),
    reason: z.string().min(1),
    reasonDetail: z.string().nullable(),
    prefectOpinion: z.enum(PREFECT_OPINIONS).nullable(),
    requestedOn: isoDate,
    decidedOn: isoDate,
    phase: z.enum(PHASES),
  }),
});

/** Vacant posts moved from one validated structure to another (each side's new quota follows in `structure-decided`). */
export const postsTransferred = defineEvent({
  type: 'recruitment.posts-transferred',
  producer: 'recruitment',
  version: 1,
  payload: z.object({ transferId: id, fromStructureId: id, toStructureId: id, posts: z.number().int().positive(), on: isoDate }),
});

export const STRUCTURE_EVENTS = [structureApplied, structureDecided, structureClosed] as const;
export const CONTRACT_EVENTS = [
  recruitmentRequested,
  recruitmentCancelled,
  contractSigned,
  contractExtended,
  ruptureDeclared,
  ruptureCancelled,
  ruptureValidated,
  renewalRequested,
  contractRenewed,
  contractEnded,
] as const;
export const EVENTS = [...STRUCTURE_EVENTS, ...CONTRACT_EVENTS, postRequestDecided, postsTransferred] as const;

/**
 * The days a contract employs its advisor at its structure, ends included, or null when it employs nobody (not yet
 * validated, cancelled): from the contract's start to the rupture day, else to its planned end (none for a CDI).
 * Training and activity decide with it who is hired where and when.
 */
export function employmentPeriod(
  state: Pick<ContractState, 'status' | 'contract' | 'ruptureDate'>,
): { start: IsoDate; end: IsoDate | null } | null {
  if (!state.contract) return null;
  switch (state.status) {
    case 'FINALISEE':
    case 'NOUVELLE_RUPTURE':
    case 'TERMINEE':
    case 'TERMINEE_NATURELLE':
      return { start: state.contract.startDate, end: state.contract.endDate };
    case 'FINALISEE_RUPTURE':
      return { start: state.contract.startDate, end: state.ruptureDate ?? state.contract.endDate };
    default:
      return null;
  }
}

export type StructureEvent = (typeof STRUCTURE_EVENTS)[number];
export type ContractEvent = (typeof CONTRACT_EVENTS)[number];
export type PostRequestDecided = PayloadOf<typeof postRequestDecided>;
