import { defineEntity, p } from '@mikro-orm/core';
import { Post } from './post.entity.js';
import { CONTRACT_TYPES } from './vocabulary.js';

/**
 * A contract received for a post: the condition of the agreement's payments. Never keyed in: derived from
 * recruitment's contract (its copy, `RecruitmentContract`) by services/contract.service.ts, one row per mise en
 * relation, on the post it took.
 */
export const EmploymentContractSchema = defineEntity({
  name: 'EmploymentContract',
  properties: {
    id: p.integer().primary(),
    post: () => p.manyToOne(Post).index(),
    /** Recruitment's mise en relation whose contract this is (one row each). */
    miseEnRelationId: p.integer().unique(),
    /** Recruitment's Conseiller id. */
    conseillerId: p.integer().index(),
    type: p.enum(CONTRACT_TYPES),
    startDate: p.date(),
    /** Planned end; null for a CDI. */
    endDate: p.date().nullable(),
    /** The day it was taken onto its post: the day of recruitment's event, or of the step that funded a post for it. */
    receivedOn: p.date(),
    /** Set when the contract stopped before its planned end (rupture validated: the rupture date). */
    endedEarlyOn: p.date().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class EmploymentContract extends EmploymentContractSchema.class {}
EmploymentContractSchema.setClass(EmploymentContract);
