import { defineEntity, p } from '@mikro-orm/core';
import { Structure } from './structure.entity.js';
import {
  COSELEC_OPINIONS,
  COSELEC_TYPES,
  OPINIONS,
  PHASES,
  POST_REQUEST_REASONS,
  POST_REQUEST_TYPES,
  REQUEST_STATUSES,
} from './vocabulary.js';

/** A selection-committee decision (coselec[]): append-only, the latest one gives the structure's quota. */
export const CoselecDecisionSchema = defineEntity({
  name: 'CoselecDecision',
  properties: {
    /** Increasing: the highest id of a structure is its latest decision. */
    id: p.integer().primary(),
    structure: () => p.manyToOne(Structure).index(),
    postsGranted: p.integer(),
    opinion: p.enum(COSELEC_OPINIONS),
    /** e.g. "COSELEC 12"; null for the direct validations that replaced the committee after 2023. */
    number: p.string().nullable(),
    phase: p.enum(PHASES),
    type: p.enum(COSELEC_TYPES).default('CONSEILLER'),
    isPriority: p.boolean().default(false),
    observations: p.text().nullable(),
    validator: p.string().nullable(),
    insertedAt: p.datetime().onCreate(() => new Date()),
  },
  // Append-only down to the database: a decision is never changed nor deleted, a new one is added.
  triggers: [
    {
      name: 'coselec_decision_append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: "raise exception 'coselec_decision is append-only';",
    },
  ],
});
export class CoselecDecision extends CoselecDecisionSchema.class {}
CoselecDecisionSchema.setClass(CoselecDecision);

/** The département prefecture's opinion on a structure's application (prefet[]). */
export const PrefectOpinionSchema = defineEntity({
  name: 'PrefectOpinion',
  properties: {
    id: p.integer().primary(),
    structure: () => p.manyToOne(Structure).index(),
    opinion: p.enum(OPINIONS),
    comment: p.text(),
    /** The structure whose posts this application would take over, if any. */
    transferFrom: () => p.manyToOne(Structure).nullable(),
    author: p.string().nullable(),
    insertedAt: p.datetime().onCreate(() => new Date()),
  },
});
export class PrefectOpinion extends PrefectOpinionSchema.class {}
PrefectOpinionSchema.setClass(PrefectOpinion);

/** A request to add posts or hand them back (demandesCoselec, "avenant"). */
export const PostRequestSchema = defineEntity({
  name: 'PostRequest',
  properties: {
    id: p.integer().primary(),
    structure: () => p.manyToOne(Structure).index(),
    type: p.enum(POST_REQUEST_TYPES),
    status: p.enum(REQUEST_STATUSES).index(),
    isCoordinatorPost: p.boolean().default(false),
    /** Quota when the request was made. */
    postsBefore: p.integer(),
    /** Posts asked for (AJOUT) or handed back (RETRAIT). */
    postsRequested: p.integer(),
    /** Posts the administrator granted (AJOUT, once validated). */
    postsGranted: p.integer().nullable(),
    reason: p.enum(POST_REQUEST_REASONS),
    otherReason: p.text().nullable(),
    phase: p.enum(PHASES),
    requestedBy: p.string().nullable(),
    requestedAt: p.datetime().onCreate(() => new Date()),
    prefectOpinion: p.enum(OPINIONS).nullable(),
    prefectComment: p.text().nullable(),
    prefectAuthor: p.string().nullable(),
    prefectOpinionAt: p.datetime().nullable(),
    transferFrom: () => p.manyToOne(Structure).nullable(),
    decidedBy: p.string().nullable(),
    decidedAt: p.datetime().nullable(),
  },
});
export class PostRequest extends PostRequestSchema.class {}
PostRequestSchema.setClass(PostRequest);

/** Posts moved from one structure to another (about 100 in the programme). */
export const PostTransferSchema = defineEntity({
  name: 'PostTransfer',
  properties: {
    id: p.integer().primary(),
    fromStructure: () => p.manyToOne(Structure).index(),
    toStructure: () => p.manyToOne(Structure).index(),
    posts: p.integer(),
    actor: p.string().nullable(),
    transferredAt: p.datetime().onCreate(() => new Date()),
  },
});
export class PostTransfer extends PostTransferSchema.class {}
PostTransferSchema.setClass(PostTransfer);

/** A request for a coordinator post, backed by a Démarches Simplifiées file (demandesCoordinateur). */
export const CoordinatorRequestSchema = defineEntity({
  name: 'CoordinatorRequest',
  properties: {
    id: p.integer().primary(),
    structure: () => p.manyToOne(Structure).index(),
    status: p.enum(REQUEST_STATUSES).index(),
    /** The post was handed back after validation. */
    isGivenBack: p.boolean().default(false),
    dossierNumber: p.integer().nullable(),
    prefectOpinion: p.enum(OPINIONS).nullable(),
    prefectComment: p.text().nullable(),
    prefectAuthor: p.string().nullable(),
    prefectOpinionAt: p.datetime().nullable(),
    requestedBy: p.string().nullable(),
    requestedAt: p.datetime().onCreate(() => new Date()),
    decidedBy: p.string().nullable(),
    decidedAt: p.datetime().nullable(),
  },
});
export class CoordinatorRequest extends CoordinatorRequestSchema.class {}
CoordinatorRequestSchema.setClass(CoordinatorRequest);
