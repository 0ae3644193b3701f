import { defineEntity, p } from '@mikro-orm/core';
import { Convention } from './convention.entity.js';
import { AMENDMENT_REASONS, AMENDMENT_STATUSES, AMENDMENT_TYPES, COORDINATOR_CONTRACTS, PREFECT_OPINIONS } from './vocabulary.js';

/** An amendment (*avenant*, `demandesCoselec`): a request to add posts to an agreement or to hand some back. */
export const AmendmentSchema = defineEntity({
  name: 'Amendment',
  properties: {
    id: p.integer().primary(),
    convention: () => p.manyToOne(Convention).index(),
    type: p.enum(AMENDMENT_TYPES),
    status: p.enum(AMENDMENT_STATUSES).index(),
    /** The request concerns a coordinator post. */
    coordinator: p.boolean().default(false),
    coordinatorContract: p.enum(COORDINATOR_CONTRACTS).nullable(),
    reason: p.enum(AMENDMENT_REASONS),
    reasonDetail: p.text().nullable(),
    /** Posts funded before the request (*nbPostesAvantDemande*). */
    postsBefore: p.integer(),
    /** AJOUT: posts asked for, then granted. */
    postsRequested: p.integer().nullable(),
    postsGranted: p.integer().nullable(),
    /** RETRAIT: the posts handed back. */
    givenBackPostIds: p.json<number[]>().nullable(),
    /** The département prefecture's opinion (`prefet.avis`), its comment and day. */
    prefectOpinion: p.enum(PREFECT_OPINIONS).nullable(),
    prefectComment: p.text().nullable(),
    prefectOpinionOn: p.date().nullable(),
    /** AJOUT: the structure whose posts are transferred here (`prefet.idStructureTransfert`), a recruitment id. */
    transferFromStructureId: p.integer().nullable(),
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
