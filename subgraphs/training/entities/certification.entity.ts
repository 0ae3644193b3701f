import { defineEntity, p } from '@mikro-orm/core';
import { CERTIFICATION_RESULTS, CERTIFICATION_TYPES } from '../rules/training.js';

/** One sitting of a certification (CCP of the REMN title, the full title, or Pix): first attempt or retake. */
export const CertificationAttemptSchema = defineEntity({
  name: 'CertificationAttempt',
  uniques: [{ properties: ['conseillerId', 'type', 'attempt'] }],
  properties: {
    id: p.integer().primary(),
    conseillerId: p.integer().index(),
    type: p.enum(CERTIFICATION_TYPES),
    /** 1 for the first sitting, 2+ for retakes. */
    attempt: p.smallint(),
    date: p.date(),
    result: p.enum(CERTIFICATION_RESULTS),
    /** Pix only: levels reached in the three required skills, in the order of PIX_SKILLS. */
    pixSkillLevels: p
      .array(
        (i) => Number(i),
        (n: number) => String(n),
      )
      .nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class CertificationAttempt extends CertificationAttemptSchema.class {}
CertificationAttemptSchema.setClass(CertificationAttempt);
