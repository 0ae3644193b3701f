/**
 * What a step's input must say before any row is read (docs/domain.md §1.6, §2.3, §2.4): BAD_USER_INPUT naming
 * the offending field otherwise. Pure functions over the input's values.
 */

import { BadUserInputError } from '../../../common/errors.js';
import type { Phase, Sector } from '../../../common/programme.js';
import { AJOUT_REASONS, RETRAIT_REASONS, type AmendmentReason, type AmendmentType } from '../entities/vocabulary.js';
import { allowedInitialMonths, initialAgreementMonths, RENEWAL_MONTHS } from './subsidy.js';

const DEPARTEMENT_CODE = /^(\d{2}|2[AB]|\d{3})$/;

const REGION_CODE = /^\d{2,3}$/;

function agreementMonths(phase: Phase, sector: Sector, requested: number | null | undefined): number {
  if (phase === 'PHASE_2') {
    if (requested != null && requested !== RENEWAL_MONTHS)
      throw new BadUserInputError(`A phase-2 agreement lasts ${RENEWAL_MONTHS} months.`, 'input.durationMonths');
    return RENEWAL_MONTHS;
  }
  const months = requested ?? initialAgreementMonths(sector);
  if (!allowedInitialMonths(sector).includes(months)) {
    throw new BadUserInputError(
      `An initial agreement of a ${sector.toLowerCase()} structure lasts ${allowedInitialMonths(sector).join(' or ')} months.`,
      'input.durationMonths',
    );
  }
  return months;
}

/** Checks an opening's territory and posts; returns the agreement's length in months (its phase's and sector's). */
export function openingMonths(input: {
  phase: Phase;
  sector: Sector;
  departementCode: string;
  regionCode: string;
  durationMonths?: number | null;
  advisorPosts: number;
  coordinatorPosts?: readonly unknown[] | null;
}): number {
  if (!DEPARTEMENT_CODE.test(input.departementCode))
    throw new BadUserInputError(`"${input.departementCode}" is not a département code.`, 'input.departementCode');
  if (!REGION_CODE.test(input.regionCode)) throw new BadUserInputError(`"${input.regionCode}" is not a région code.`, 'input.regionCode');
  if (!Number.isInteger(input.advisorPosts) || input.advisorPosts < 0)
    throw new BadUserInputError('advisorPosts must be 0 or more.', 'input.advisorPosts');
  if (input.advisorPosts + (input.coordinatorPosts?.length ?? 0) === 0)
    throw new BadUserInputError('An agreement funds at least one post.', 'input.advisorPosts');
  return agreementMonths(input.phase, input.sector, input.durationMonths);
}

/**
 * An AJOUT asks for posts with a reason of its list; a RETRAIT lists the distinct posts it hands back with a reason
 * of its own list; AUTRE needs a detail.
 */
export function checkAmendmentRequest(input: {
  type: AmendmentType;
  reason: AmendmentReason;
  reasonDetail?: string | null;
  postsRequested?: number | null;
  coordinatorContract?: unknown;
  postIds?: readonly number[] | null;
}): void {
  const ajout = input.type === 'AJOUT';
  if (!(ajout ? AJOUT_REASONS : RETRAIT_REASONS).includes(input.reason)) {
    throw new BadUserInputError(`${input.reason} is not a reason to ${ajout ? 'ask for' : 'hand back'} posts.`, 'input.reason');
  }
  if (input.reason === 'AUTRE' && !input.reasonDetail?.trim())
    throw new BadUserInputError('The reason AUTRE needs a detail.', 'input.reasonDetail');
  if (ajout && (!Number.isInteger(input.postsRequested) || input.postsRequested! < 1))
    throw new BadUserInputError('Ask for one post or more.', 'input.postsRequested');
  if (ajout && input.postIds?.length) throw new BadUserInputError('Posts are listed only to hand them back.', 'input.postIds');
  if (!ajout && input.postsRequested != null) throw new BadUserInputError('postsRequested is only for AJOUT.', 'input.postsRequested');
  if (!ajout && input.coordinatorContract)
    throw new BadUserInputError('coordinatorContract is only for AJOUT.', 'input.coordinatorContract');
  const postIds = input.postIds ?? [];
  if (!ajout && (postIds.length === 0 || new Set(postIds).size !== postIds.length))
    throw new BadUserInputError('List the distinct posts handed back.', 'input.postIds');
}

/** The prefecture's comment, trimmed: 10 to 1,000 characters. */
export function prefectComment(comment: string): string {
  const trimmed = comment.trim();
  if (trimmed.length < 10 || trimmed.length > 1000) throw new BadUserInputError('The comment has 10 to 1,000 characters.', 'input.comment');
  return trimmed;
}

/** Why a structure does not renew, trimmed: 1 to 2,500 characters. */
export function declineReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > 2500)
    throw new BadUserInputError('A reason of 1 to 2,500 characters is required.', 'input.reason');
  return trimmed;
}
