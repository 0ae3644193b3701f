import { defineEntity, p } from '@mikro-orm/core';

/**
 * Vacant posts moved from one structure to another (recruitment's `posts-transferred`), as applied here: how many
 * were given back on the source's running signed agreement and funded on the target's. Either side may have no
 * running signed agreement (its quota copy changed all the same): nothing is given back or funded there, and the
 * counts say so.
 */
export const PostTransferSchema = defineEntity({
  name: 'PostTransfer',
  properties: {
    id: p.integer().primary(),
    /** Recruitment's transfer: one row each. */
    transferId: p.integer().unique(),
    fromStructureId: p.integer().index(),
    toStructureId: p.integer().index(),
    /** Posts transferred in recruitment. */
    posts: p.integer(),
    on: p.date(),
    fromConventionId: p.integer().nullable(),
    toConventionId: p.integer().nullable(),
    /** Vacant posts given back on the source's agreement (TRANSFERT). */
    postsGivenBack: p.integer(),
    /** Posts funded on the target's agreement. */
    postsFunded: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class PostTransfer extends PostTransferSchema.class {}
PostTransferSchema.setClass(PostTransfer);
