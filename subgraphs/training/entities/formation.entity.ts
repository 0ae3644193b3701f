import { defineEntity, p } from '@mikro-orm/core';

export const FORMATION_STATUSES = ['TO_ENROL', 'ENROLLED', 'IN_PROGRESS', 'COMPLETED', 'ABANDONED'] as const;

export const FormationSchema = defineEntity({
  name: 'Formation',
  properties: {
    id: p.integer().primary(),
    /** The advisor (owned by the recruitment subgraph): a federation reference, not a foreign key. */
    conseillerId: p.integer().index(),
    hours: p.integer(),
    status: p.enum(FORMATION_STATUSES),
    startDate: p.date(),
    endDate: p.date(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class Formation extends FormationSchema.class {}
FormationSchema.setClass(Formation);
