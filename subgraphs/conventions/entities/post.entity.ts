import { defineEntity, p } from '@mikro-orm/core';
import { Convention } from './convention.entity.js';
import { COORDINATOR_CONTRACTS, POST_EXIT_REASONS, POST_STATES, POST_TYPOLOGIES } from './vocabulary.js';

/** A funded post (*poste*) of an agreement; a renewal or a transfer creates a new row pointing at the old one. */
export const PostSchema = defineEntity({
  name: 'Post',
  properties: {
    id: p.integer().primary(),
    convention: () => p.manyToOne(Convention).index(),
    /** Copied from the agreement so a structure's posts load with one statement. */
    structureId: p.integer().index(),
    typology: p.enum(POST_TYPOLOGIES),
    coordinatorContract: p.enum(COORDINATOR_CONTRACTS).nullable(),
    state: p.enum(POST_STATES),
    attributionDate: p.date(),
    givenBackOn: p.date().nullable(),
    exitReason: p.enum(POST_EXIT_REASONS).nullable(),
    /** The advisor in post (recruitment's Conseiller id), while occupied. */
    conseillerId: p.integer().nullable().index(),
    /** Renewed into a phase-2 agreement (*poste_renouvele*). */
    renewed: p.boolean().default(false),
    renewedFromId: p.integer().nullable(),
    transferredFromId: p.integer().nullable(),
    /** Funding window and amounts, in integer euro cents; the amounts are cut to the months used when given back. */
    fundingStart: p.date(),
    fundingMonths: p.integer(),
    /** Months with an advisor in post (*mois utilisés*), counted when the post leaves its agreement. */
    monthsUsed: p.integer().nullable(),
    fundingCents: p.bigint('number'),
    bonusCents: p.bigint('number').default(0),
    /** Paid for this post through paid tranches. */
    paidCents: p.bigint('number').default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class Post extends PostSchema.class {}
PostSchema.setClass(Post);
