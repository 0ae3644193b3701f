import { defineEntity, p } from '@mikro-orm/core';
import { Convention } from './convention.entity.js';

/** One payment (*versement*) of an agreement's schedule; its status is derived (see rules/tranche.ts). */
export const TrancheSchema = defineEntity({
  name: 'Tranche',
  uniques: [{ properties: ['convention', 'rank'] }],
  properties: {
    id: p.integer().primary(),
    convention: () => p.manyToOne(Convention),
    rank: p.smallint(),
    periodStart: p.date(),
    periodEnd: p.date(),
    dueDate: p.date(),
    /** In integer euro cents; recomputed while unpaid, frozen once paid. */
    amountCents: p.bigint('number'),
    paidOn: p.date().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class Tranche extends TrancheSchema.class {}
TrancheSchema.setClass(Tranche);
