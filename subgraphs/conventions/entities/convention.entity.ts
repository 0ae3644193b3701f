import { defineEntity, p } from '@mikro-orm/core';

export const CONVENTION_PHASES = ['PHASE_1', 'PHASE_2'] as const;
export const CONVENTION_STATUSES = [
  'NON_INTERESSE',
  'CONVENTIONNEMENT_EN_COURS',
  'CONVENTIONNEMENT_VALIDE',
  'CONVENTIONNEMENT_VALIDE_PHASE_2',
  'RECONVENTIONNEMENT_INITIE',
  'RECONVENTIONNEMENT_VALIDE',
] as const;

export const ConventionSchema = defineEntity({
  name: 'Convention',
  properties: {
    id: p.integer().primary(),
    /** The structure (owned by the recruitment subgraph): a federation reference, not a foreign key. */
    structureId: p.integer().index(),
    phase: p.enum(CONVENTION_PHASES),
    status: p.enum(CONVENTION_STATUSES),
    postsCount: p.integer(),
    /** Integer euro cents: amounts are never floats. */
    amountCents: p.bigint('number'),
    startDate: p.date(),
    endDate: p.date(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class Convention extends ConventionSchema.class {}
ConventionSchema.setClass(Convention);
