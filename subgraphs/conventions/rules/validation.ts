/**
 * What a step's input must say before any row is read (docs/domain.md §1.6, §2.3, §2.4): BAD_USER_INPUT naming
 * the offending field otherwise. Pure functions over the input's values.
 */

import { BadUserInputError } from '../../../common/errors.js';
import type { Phase, Sector } from '../../../common/programme.js';
import { AJOUT_REASONS, RETRAIT_REASONS, type AmendmentReason, type AmendmentType, type LegalCategory } from '../entities/vocabulary.js';
import { allowedInitialMonths, initialAgreementMonths, RENEWAL_MONTHS } from './subsidy.js';

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

/** Checks an opening's posts; returns the agreement's length in months (its phase's and the structure's sector's). */
export function openingMonths(
  input: { phase: Phase; durationMonths?: number | null; advisorPosts: number; coordinatorPosts?: readonly unknown[] | null },
  sector: Sector,
): number {
  if (!Number.isInteger(input.advisorPosts) || input.advisorPosts < 0)
    throw new BadUserInputError('advisorPosts must be 0 or more.', 'input.advisorPosts');
  if (input.advisorPosts + (input.coordinatorPosts?.length ?? 0) === 0)
    throw new BadUserInputError('An agreement funds at least one post.', 'input.advisorPosts');
  return agreementMonths(input.phase, sector, input.durationMonths);
}

/** The legal categories of each sector: a public structure is STRUCTURE_PUBLIQUE, a private one an association or a company. */
const LEGAL_CATEGORIES_OF: Record<Sector, readonly LegalCategory[]> = {
  PUBLIC: ['STRUCTURE_PUBLIQUE'],
  PRIVATE: ['ASSOCIATION', 'ENTREPRISE'],
};

/** The legal category (it picks the DS procedure) must agree with the structure's sector, as recruitment knows it. */
export function checkLegalCategory(sector: Sector, legalCategory: LegalCategory, structureId: number): void {
  if (!LEGAL_CATEGORIES_OF[sector].includes(legalCategory)) {
    throw new BadUserInputError(
      `Structure ${structureId} is ${sector.toLowerCase()}: its legal category is ${LEGAL_CATEGORIES_OF[sector].join(' or ')}, not ${legalCategory}.`,
      'input.legalCategory',
    );
  }
}

/** A post request's reason is one of its type's list (recruitment checked it when the request was made). */
export function isReasonOf(type: AmendmentType, reason: string): reason is AmendmentReason {
  return (type === 'AJOUT' ? AJOUT_REASONS : RETRAIT_REASONS).includes(reason as AmendmentReason);
}

/** Why a structure does not renew, trimmed: 1 to 2,500 characters. */
export function declineReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > 2500)
    throw new BadUserInputError('A reason of 1 to 2,500 characters is required.', 'input.reason');
  return trimmed;
}
