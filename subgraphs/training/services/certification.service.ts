import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError } from '../../../common/errors.js';
import type { Viewer } from '../../../common/viewer.js';
import { CertificationAttempt, TrainingPath, Learner } from '../entities/index.js';
import { ADMINS_ONLY, step } from './access.js';
import { applyMinimumLearnersRule } from './session.service.js';
import { assertNotFuture, cleanText } from '../rules/validation.js';
import { employerOn } from './hiring.service.js';
import { lockAdvisor, lockPathsOf } from './training-path.service.js';
import {
  nextAttemptNumber,
  sittingResult,
  type CertificationResult,
  type CertificationType,
  type ExemptionReason,
} from '../rules/training.js';

export interface CertificationResultInput {
  conseillerId: number;
  type: CertificationType;
  date: string;
  result?: CertificationResult | null;
  pixSkillLevels?: readonly number[] | null;
}

/** Records a sitting (first attempt or retake) once initial training is completed or exempted. */
export function recordCertificationResult(
  em: EntityManager,
  viewer: Viewer,
  input: CertificationResultInput,
): Promise<CertificationAttempt> {
  const check = () => {
    assertNotFuture(input.date, 'date');
    return sittingResult(input);
  };
  return step(em, viewer, 'recordCertificationResult', { check }, async ({ tx, unscoped }, result) => {
    unscoped(ADMINS_ONLY);
    const { conseillerId } = input;
    // Attempts are numbered from the advisor's previous ones: two results recorded at once must not share a number.
    await lockAdvisor(tx, conseillerId);
    const [learner, completed, previous] = await Promise.all([
      tx.findOne(Learner, conseillerId),
      tx.count(TrainingPath, { conseillerId, status: 'COMPLETED' }),
      tx.find(CertificationAttempt, { conseillerId }),
    ]);
    if (!learner?.exemptionReason && completed === 0) {
      throw new BadUserInputError(
        `Advisor ${conseillerId} has neither completed initial training nor been exempted from it.`,
        'conseillerId',
      );
    }
    const attempt = nextAttemptNumber(input.type, input.date, previous);
    return tx.create(CertificationAttempt, {
      conseillerId,
      type: input.type,
      attempt,
      date: input.date,
      result,
      pixSkillLevels: input.type === 'PIX' ? [...input.pixSkillLevels!] : null,
    });
  });
}

export interface ExemptionInput {
  conseillerId: number;
  reason: ExemptionReason;
  grantedOn: string;
  comment?: string | null;
}

/**
 * Exempts an advisor hired or being hired on the day granted (rules/hiring.ts; the learner record takes that
 * contract's employer) from initial training. A path under way or completed makes the exemption pointless
 * (CONFLICT); a pending one (TO_ENROL, ENROLLED) is abandoned, freeing its seat.
 */
export function grantExemption(em: EntityManager, viewer: Viewer, input: ExemptionInput): Promise<Learner> {
  const check = () => {
    assertNotFuture(input.grantedOn, 'grantedOn');
    return cleanText(input.comment, 'comment', { max: 1000 });
  };
  return step(em, viewer, 'grantExemption', { check }, async ({ tx, unscoped }, comment) => {
    unscoped(ADMINS_ONLY);
    const { conseillerId } = input;
    await lockAdvisor(tx, conseillerId);
    const territory = await employerOn(tx, conseillerId, input.grantedOn, 'grants an exemption');
    const paths = await lockPathsOf(tx, conseillerId);
    const existing = await tx.findOne(Learner, conseillerId);
    if (existing?.exemptionReason) {
      throw new ConflictError(`Advisor ${conseillerId} is already exempted (${existing.exemptionReason}).`, { field: 'conseillerId' });
    }
    const started = paths.find((f) => f.status === 'IN_PROGRESS' || f.status === 'COMPLETED');
    if (started) {
      throw new ConflictError(`Advisor ${conseillerId} has path ${started.id} ${started.status}: too late for an exemption.`, {
        field: 'conseillerId',
      });
    }
    for (const pending of paths.filter((f) => f.status === 'TO_ENROL' || f.status === 'ENROLLED')) {
      const session = pending.session;
      tx.assign(pending, {
        status: 'ABANDONED',
        abandonedOn: input.grantedOn,
        abandonReason: `Exempted from initial training (${input.reason}).`,
      });
      if (session) {
        await tx.flush();
        await applyMinimumLearnersRule(tx, session);
      }
    }
    const exemption = {
      ...territory,
      entryDate: input.grantedOn,
      exemptionReason: input.reason,
      exemptedOn: input.grantedOn,
      exemptionComment: comment,
    };
    return existing ? tx.assign(existing, exemption) : tx.create(Learner, { conseillerId, ...exemption });
  });
}
