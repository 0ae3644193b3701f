/**
 * The State's subsidy per post, as published, in integer euro cents (never floats). Pure functions: the services
 * call them, the unit tests in test/conventions/ check them against the published figures.
 *
 * - Initial agreement (phase 1, V1 subsidy, DGCL): public structures 50,000 € over 24 months (70,000 € in
 *   Guadeloupe, Martinique and Guyane; 67,500 € in La Réunion and Mayotte); private structures 40,000 € over
 *   24 months or 32,000 € over 18 months.
 * - Coordinator posts: 40,000 € for a CDI over 24 months, 32,000 € for a CDD over 18 months.
 * - Renewal (phase 2, V2 subsidy, DGE/DITP): 42,500 € over 3 years (17,500 € + 12,500 € + 12,500 €), with a
 *   bonification of 2,500 € then 5,000 € in a priority area (QPV or ZRR), up to 50,000 €.
 */

import type { Phase, Sector } from '../../../common/programme.js';
import { addMonths, minDate, monthsStarted, periodEnd, type IsoDate } from '../../../common/calendar.js';

export type PostTypology = 'CONSEILLER' | 'COORDINATEUR';
export type CoordinatorContract = 'CDI' | 'CDD';

const EUROS = 100;

/** Départements where a public post is funded 70,000 €: Guadeloupe, Martinique, Guyane. */
export const ANTILLES_GUYANE = ['971', '972', '973'] as const;
/** Départements where a public post is funded 67,500 €: La Réunion, Mayotte. */
export const REUNION_MAYOTTE = ['974', '976'] as const;

/** Durations an initial agreement may have: public structures 24 months; private ones 24 or 18. */
export function allowedInitialMonths(sector: Sector): readonly number[] {
  return sector === 'PRIVATE' ? [24, 18] : [24];
}

/** Default length of the initial agreement: 24 months for public structures, 18 for private ones. */
export function initialAgreementMonths(sector: Sector): number {
  return sector === 'PRIVATE' ? 18 : 24;
}

/** Length of a renewal agreement, whatever the structure: 3 years. */
export const RENEWAL_MONTHS = 36;

/** Initial (V1) subsidy for one advisor post. Throws a RangeError for a duration the programme does not offer. */
export function initialSubsidyPerPostCents(sector: Sector, departementCode: string, months = initialAgreementMonths(sector)): number {
  if (!allowedInitialMonths(sector).includes(months)) {
    throw new RangeError(
      `An initial agreement of a ${sector.toLowerCase()} structure lasts ${allowedInitialMonths(sector).join(' or ')} months, not ${months}.`,
    );
  }
  if (sector === 'PRIVATE') return (months === 24 ? 40_000 : 32_000) * EUROS;
  if ((ANTILLES_GUYANE as readonly string[]).includes(departementCode)) return 70_000 * EUROS;
  if ((REUNION_MAYOTTE as readonly string[]).includes(departementCode)) return 67_500 * EUROS;
  return 50_000 * EUROS;
}

/** Coordinator post: 40,000 € over 24 months on a CDI, 32,000 € over 18 months on a CDD. */
export function coordinatorSubsidy(contract: CoordinatorContract): { amountCents: number; months: number } {
  return contract === 'CDI' ? { amountCents: 40_000 * EUROS, months: 24 } : { amountCents: 32_000 * EUROS, months: 18 };
}

/** The renewal's yearly amounts per post: 17,500 € then 12,500 € twice (42,500 € in all). */
export const RENEWAL_YEARLY_CENTS = [17_500 * EUROS, 12_500 * EUROS, 12_500 * EUROS] as const;
/** The priority-area bonification by year: nothing the first year, 2,500 € then 5,000 € (7,500 € in all). */
export const RENEWAL_BONUS_YEARLY_CENTS = [0, 2_500 * EUROS, 5_000 * EUROS] as const;

/** Renewal (V2) subsidy for one advisor post; the bonification applies in a QPV or a ZRR. */
export function renewalSubsidyPerPost(priorityArea: boolean): { amountCents: number; bonusCents: number; months: number } {
  return {
    amountCents: sum(RENEWAL_YEARLY_CENTS),
    bonusCents: priorityArea ? sum(RENEWAL_BONUS_YEARLY_CENTS) : 0,
    months: RENEWAL_MONTHS,
  };
}

export interface PostFundingInput {
  phase: Phase;
  typology: PostTypology;
  sector: Sector;
  departementCode: string;
  /** Length of the agreement (initial agreements of private structures: 24 or 18 months). */
  agreementMonths: number;
  /** Required for coordinator posts. */
  coordinatorContract?: CoordinatorContract | null;
  /** QPV or ZRR: the renewal's bonification applies. */
  priorityArea: boolean;
}

export interface PostFunding {
  /** Base subsidy of the post, in cents. */
  amountCents: number;
  /** Renewal bonification, in cents (0 outside phase 2 or outside a priority area). */
  bonusCents: number;
  /** Months the subsidy covers. */
  months: number;
}

/** The subsidy one post is entitled to, whatever its kind. */
export function postFunding(input: PostFundingInput): PostFunding {
  if (input.typology === 'COORDINATEUR') {
    if (!input.coordinatorContract) throw new RangeError('A coordinator post needs its contract type (CDI or CDD).');
    return { ...coordinatorSubsidy(input.coordinatorContract), bonusCents: 0 };
  }
  if (input.phase === 'PHASE_2') return renewalSubsidyPerPost(input.priorityArea);
  return {
    amountCents: initialSubsidyPerPostCents(input.sector, input.departementCode, input.agreementMonths),
    bonusCents: 0,
    months: input.agreementMonths,
  };
}

/** A post's funding scaled to `months` of its window: base and bonification each rounded down to the cent. */
export function fundingForMonths(funding: PostFunding, months: number): PostFunding {
  const used = Math.max(0, Math.min(months, funding.months));
  if (used === 0) return { amountCents: 0, bonusCents: 0, months: 0 };
  return {
    amountCents: Math.floor((funding.amountCents * used) / funding.months),
    bonusCents: Math.floor((funding.bonusCents * used) / funding.months),
    months: used,
  };
}

/** A contract as the funding rules read it: its first day and the last day worked (null: still running). */
export interface WorkPeriod {
  startDate: IsoDate;
  lastDay: IsoDate | null;
}

/**
 * The months of a funding window, up to `until`, during which an advisor was employed (*mois utilisés*): a month
 * counts when a contract covers any of its days. Returned as the first day of each such month.
 */
export function monthsWorked(fundingStart: IsoDate, windowMonths: number, until: IsoDate, contracts: readonly WorkPeriod[]): IsoDate[] {
  const months: IsoDate[] = [];
  for (let m = 0; m < windowMonths; m++) {
    const from = addMonths(fundingStart, m);
    if (from > until) break;
    const to = minDate(periodEnd(fundingStart, m + 1), until);
    if (contracts.some((c) => c.startDate <= to && (c.lastDay === null || c.lastDay >= from))) months.push(from);
  }
  return months;
}

/** One payment (tranche, *versement*) of a schedule: the year of the agreement it pays for. */
export interface TranchePeriod {
  rank: number;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  /** When it may be paid at the earliest: the signature for the first one, then each anniversary (N+1, N+2). */
  dueDate: IsoDate;
}

/**
 * Payment schedule of an agreement: one tranche per year of the period (an 18-month agreement has two, a
 * 24-month one two, a renewal three). The first one falls due at signature (or at the start, if later).
 */
export function trancheSchedule(startDate: IsoDate, months: number, signedOn: IsoDate): TranchePeriod[] {
  const end = periodEnd(startDate, months);
  const tranches: TranchePeriod[] = [];
  for (let rank = 1; (rank - 1) * 12 < months; rank++) {
    const periodStart = addMonths(startDate, (rank - 1) * 12);
    tranches.push({
      rank,
      periodStart,
      periodEnd: minDate(periodEnd(periodStart, 12), end),
      dueDate: rank === 1 ? (signedOn > periodStart ? signedOn : periodStart) : periodStart,
    });
  }
  return tranches;
}

/**
 * How a post's subsidy spreads over the agreement's tranches (weights, not amounts). A post given back is paid for
 * the months it was worked, in the tranche of their year. A full renewal post follows the published yearly amounts
 * (17,500 + 12,500 + 12,500, bonification 0 + 2,500 + 5,000). Any other post is paid pro rata of the months of its
 * funding window that fall in each tranche's year.
 */
export function trancheWeights(
  post: {
    phase: Phase;
    typology: PostTypology;
    fundingStart: IsoDate;
    months: number;
    bonusCents: number;
    worked?: readonly IsoDate[] | null;
  },
  tranches: readonly TranchePeriod[],
): number[] {
  const worked = post.worked;
  if (worked) return tranches.map((t) => worked.filter((month) => month >= t.periodStart && month <= t.periodEnd).length);
  const fullRenewal =
    post.phase === 'PHASE_2' &&
    post.typology === 'CONSEILLER' &&
    post.months === RENEWAL_MONTHS &&
    tranches[0]?.periodStart === post.fundingStart &&
    tranches.length === 3;
  if (fullRenewal) return RENEWAL_YEARLY_CENTS.map((base, i) => base + (post.bonusCents > 0 ? RENEWAL_BONUS_YEARLY_CENTS[i]! : 0));
  const windowEnd = periodEnd(post.fundingStart, post.months);
  return tranches.map((t) => {
    const from = t.periodStart > post.fundingStart ? t.periodStart : post.fundingStart;
    const to = minDate(t.periodEnd, windowEnd);
    return to < from ? 0 : monthsStarted(from, to, 12);
  });
}

/**
 * Splits `totalCents` in proportion to `weights`, in whole cents, so that the parts add up exactly: each part is
 * rounded down and the cents left over go to the last part with a weight. All-zero weights put everything last.
 */
export function splitProportionally(totalCents: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const totalWeight = sum(weights);
  if (totalWeight === 0) return weights.map((_, i) => (i === weights.length - 1 ? totalCents : 0));
  const parts = weights.map((w) => Math.floor((totalCents * w) / totalWeight));
  let last = weights.length - 1;
  while (weights[last] === 0) last--;
  parts[last]! += totalCents - sum(parts);
  return parts;
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
