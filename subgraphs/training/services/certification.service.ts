import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError } from '../../../common/errors.js';
import { parseId } from '../../../common/ids.js';
import type { Viewer } from '../../../common/viewer.js';
import { writeStep } from '../../../common/write.js';
import { CertificationAttempt, Formation, Learner } from '../entities/index.js';
import { assertMayTake } from './access.js';
import { applyMinimumLearnersRule } from './session.service.js';
import { assertNotFuture, cleanText, parseTerritory } from './territory.js';
import { lockAdvisor, lockPathsOf } from './training-path.service.js';
import { nextAttemptNumber, pixResult, type CertificationResult, type CertificationType, type ExemptionReason } from './training.rules.js';

export interface CertificationResultInput {
  conseillerId: string;
  type: CertificationType;
  date: string;
  result?: CertificationResult | null;
  pixSkillLevels?: readonly number[] | null;
}

/** Records a sitting (first attempt or retake) once initial training is completed or exempted. */
export async function recordCertificationResult(
  em: EntityManager,
  viewer: Viewer,
  input: CertificationResultInput,
): Promise<CertificationAttempt> {
  assertMayTake(viewer, 'recordCertificationResult');
  const conseillerId = parseId(input.conseillerId, 'conseillerId');
  assertNotFuture(input.date, 'date');
  let result: CertificationResult;
  if (input.type === 'PIX') {
    if (input.result) throw new BadUserInputError('The Pix result follows from the skill levels: omit `result`.', 'result');
    result = pixResult(input.pixSkillLevels ?? []);
  } else {
    if (input.pixSkillLevels) throw new BadUserInputError('Skill levels belong to Pix certifications only.', 'pixSkillLevels');
    if (!input.result) throw new BadUserInputError(`The result of a ${input.type} exam is required.`, 'result');
    result = input.result;
  }
  return writeStep(em, async (tx) => {
    // Attempts are numbered from the advisor's previous ones: two results recorded at once must not share a number.
    await lockAdvisor(tx, conseillerId);
    const [learner, completed, previous] = await Promise.all([
      tx.findOne(Learner, conseillerId),
      tx.count(Formation, { conseillerId, status: 'COMPLETED' }),
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
  conseillerId: string;
  structureId: string;
  departementCode: string;
  regionCode: string;
  reason: ExemptionReason;
  grantedOn: string;
  comment?: string | null;
}

/**
 * Exempts an advisor from initial training. A path under way or completed makes the exemption pointless
 * (CONFLICT); a pending one (TO_ENROL, ENROLLED) is abandoned, freeing its seat.
 */
export async function grantExemption(em: EntityManager, viewer: Viewer, input: ExemptionInput): Promise<Learner> {
  assertMayTake(viewer, 'grantExemption');
  const conseillerId = parseId(input.conseillerId, 'conseillerId');
  const territory = parseTerritory(input);
  assertNotFuture(input.grantedOn, 'grantedOn');
  const comment = cleanText(input.comment, 'comment', { max: 1000 });
  return writeStep(em, async (tx) => {
    await lockAdvisor(tx, conseillerId);
    const formations = await lockPathsOf(tx, conseillerId);
    const existing = await tx.findOne(Learner, conseillerId);
    if (existing?.exemptionReason) {
      throw new ConflictError(`Advisor ${conseillerId} is already exempted (${existing.exemptionReason}).`, { field: 'conseillerId' });
    }
    const started = formations.find((f) => f.status === 'IN_PROGRESS' || f.status === 'COMPLETED');
    if (started) {
      throw new ConflictError(`Advisor ${conseillerId} has path ${started.id} ${started.status}: too late for an exemption.`, {
        field: 'conseillerId',
      });
    }
    for (const pending of formations.filter((f) => f.status === 'TO_ENROL' || f.status === 'ENROLLED')) {
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
