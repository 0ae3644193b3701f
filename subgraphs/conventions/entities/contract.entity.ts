import { defineEntity, p } from '@mikro-orm/core';
import { Post } from './post.entity.js';
import { CONTRACT_TYPES } from './vocabulary.js';

/** An employment contract received for a post: the condition of the agreement's payments. */
export const EmploymentContractSchema = defineEntity({
  name: 'EmploymentContract',
  properties: {
    id: p.integer().primary(),
    post: () => p.manyToOne(Post).index(),
    /** Recruitment's Conseiller id. */
    conseillerId: p.integer().index(),
    type: p.enum(CONTRACT_TYPES),
    startDate: p.date(),
    /** Planned end; null for a CDI. */
    endDate: p.date().nullable(),
    receivedOn: p.date(),
    /** Set when the contract stopped before its planned end (rupture). */
    endedEarlyOn: p.date().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class EmploymentContract extends EmploymentContractSchema.class {}
EmploymentContractSchema.setClass(EmploymentContract);
