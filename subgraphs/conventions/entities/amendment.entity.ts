import { defineEntity, p } from '@mikro-orm/core';
import { Convention } from './convention.entity.js';
import { AMENDMENT_REASONS, AMENDMENT_STATUSES, AMENDMENT_TYPES, COORDINATOR_CONTRACTS, PHASES, PREFECT_OPINIONS } from './vocabulary.js';

/**
 * An amendment (*avenant*, `demandesCoselec`): a post request decided in recruitment (one request, one opinion, one
 * decision there), recorded here from its `post-request-decided` event and, when accepted, applied to the
 * structure's running signed agreement of that phase.
 */
export const AmendmentSchema = defineEntity({
  name: 'Amendment',
  properties: {
    id: p.integer().primary(),
    /** Recruitment's post request: one amendment each. */
    postRequestId: p.integer().nullable().unique(),
    structureId: p.integer().index(),
    phase: p.enum(PHASES),
    /**
     * The agreement it was applied to; when nothing was applied (refused, or no running signed agreement), the
     * structure's latest agreement of that phase, or null when it has none.
     */
    convention: () => p.manyToOne(Convention).nullable().index(),
    /** Whether it changed the agreement's posts (accepted, on a running signed agreement). */
    applied: p.boolean().default(false),
    type: p.enum(AMENDMENT_TYPES),
    status: p.enum(AMENDMENT_STATUSES).index(),
    /** The request concerns a coordinator post. */
    coordinator: p.boolean().default(false),
    coordinatorContract: p.enum(COORDINATOR_CONTRACTS).nullable(),
    reason: p.enum(AMENDMENT_REASONS),
    reasonDetail: p.text().nullable(),
    /** The structure's quota when requested (*nbPostesAvantDemande*). */
    postsBefore: p.integer(),
    /** Posts asked for (AJOUT) or handed back (RETRAIT); AJOUT: posts granted. */
    postsRequested: p.integer().nullable(),
    postsGranted: p.integer().nullable(),
    /** RETRAIT applied: the posts handed back. */
    givenBackPostIds: p.json<number[]>().nullable(),
    /** The département prefecture's opinion the request had (`prefet.avis`). */
    prefectOpinion: p.enum(PREFECT_OPINIONS).nullable(),
    requestedOn: p.date().index(),
    decidedOn: p.date().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class Amendment extends AmendmentSchema.class {}
AmendmentSchema.setClass(Amendment);
