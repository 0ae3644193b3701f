import { defineEntity, p } from '@mikro-orm/core';
import { EXEMPTION_REASONS } from '../rules/training.js';

/**
 * What training knows of an advisor, one row per advisor (unlike its training paths, of which there may be several):
 * the employer and territory stamped when the advisor entered training (kept here as plain columns so per-territory
 * aggregates never read another subgraph), the entry date the module obligations run from, and the exemption from
 * initial training if any. Every row about the advisor is located through it (services/access.ts).
 */
export const LearnerSchema = defineEntity({
  name: 'Learner',
  properties: {
    /** The advisor's public id (recruitment's `Conseiller.id`). */
    conseillerId: p.integer().primary().autoincrement(false),
    structureId: p.integer().index(),
    departementCode: p.string().length(3).index(),
    // Three characters: collectivités d'outre-mer (Saint-Martin 978…) are their own région.
    regionCode: p.string().length(3).index(),
    /** Start of initial training (planned, then actual), or the exemption date. */
    entryDate: p.date(),
    exemptionReason: p.enum(EXEMPTION_REASONS).nullable(),
    exemptedOn: p.date().nullable(),
    exemptionComment: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Learner extends LearnerSchema.class {}
LearnerSchema.setClass(Learner);
