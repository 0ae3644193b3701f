import { AppError, ErrorCode } from '../../../common/errors.js';
import type { Convention, EmploymentContract, Post, Tranche } from '../entities/index.js';
import { monthsStarted, type IsoDate } from '../../../common/calendar.js';
import { SIGNED_STATUSES } from './status.js';
import {
  fundingForMonths,
  monthsWorked,
  postFunding,
  trancheWeights,
  type CoordinatorContract,
  type PostTypology,
  type TranchePeriod,
  type WorkPeriod,
} from './subsidy.js';
import { allocateUnpaid, overpaidCents, trancheState, unpaidTrancheAmounts, type PostLedger, type TrancheState } from './tranche.js';

/**
 * The books of one agreement, over rows already in hand: its posts' funding, its tranches and what each post
 * receives from them (docs/domain.md §1.5, §1.6). The services read and lock the rows, these functions keep the
 * agreement's committed amount, its unpaid tranches and its posts' paid amounts in agreement (the sum of the posts'
 * `paidCents` equals the sum of the paid tranches). No I/O.
 */

/** An agreement and its rows, read inside the caller's transaction, the agreement row locked. */
export interface ConventionBook {
  convention: Convention;
  posts: Post[];
  tranches: Tranche[];
  contracts: EmploymentContract[];
}

export interface PostKind {
  typology: PostTypology;
  coordinatorContract?: CoordinatorContract | null;
}

/**
 * Funding of a post of an agreement from `fundingStart`: the programme's amount for its kind, cut to the months
 * left in the agreement's period (a post added, transferred in, or longer than the agreement).
 */
export function fundPost(
  convention: Pick<Convention, 'phase' | 'sector' | 'departementCode' | 'durationMonths' | 'priorityArea' | 'endDate'>,
  kind: PostKind,
  fundingStart: IsoDate,
) {
  const rule = postFunding({
    phase: convention.phase,
    typology: kind.typology,
    coordinatorContract: kind.coordinatorContract,
    sector: convention.sector,
    departementCode: convention.departementCode,
    agreementMonths: convention.durationMonths,
    priorityArea: convention.priorityArea,
  });
  const funded = fundingForMonths(rule, monthsStarted(fundingStart, convention.endDate, rule.months));
  return { fundingStart, fundingMonths: funded.months, fundingCents: funded.amountCents, bonusCents: funded.bonusCents };
}

function isSigned(convention: Convention): boolean {
  return SIGNED_STATUSES.includes(convention.status);
}

/** Refuses money moves on an agreement that is not signed or has ended. */
export function assertRunning(convention: Convention, action: string): void {
  if (!isSigned(convention)) {
    throw new AppError(
      ErrorCode.INVALID_STATUS_TRANSITION,
      `Convention ${convention.id} is not signed (${convention.status}): cannot ${action}.`,
      { entity: 'Convention', from: convention.status },
    );
  }
  if (convention.terminatedOn) {
    throw new AppError(
      ErrorCode.INVALID_STATUS_TRANSITION,
      `Convention ${convention.id} ended on ${convention.terminatedOn}: cannot ${action}.`,
      { entity: 'Convention', from: 'TERMINATED' },
    );
  }
}

export function scheduleOf(tranches: readonly Tranche[]): TranchePeriod[] {
  return tranches.map((t) => ({ rank: t.rank, periodStart: t.periodStart, periodEnd: t.periodEnd, dueDate: t.dueDate }));
}

/** The contracts of one post, as work periods. */
export function workOf(post: Post, contracts: readonly EmploymentContract[]): WorkPeriod[] {
  return contracts
    .filter((c) => c.post.id === post.id)
    .map((c) => ({ startDate: c.startDate, lastDay: c.endedEarlyOn ?? c.endDate ?? null }));
}

export function postLedger(
  convention: Pick<Convention, 'phase'>,
  post: Post,
  schedule: readonly TranchePeriod[],
  contracts: readonly EmploymentContract[],
): PostLedger {
  // A post given back is paid for the months it was worked, in the tranches of their years.
  const worked =
    post.state === 'RENDU' && post.givenBackOn
      ? monthsWorked(post.fundingStart, post.fundingMonths, post.givenBackOn, workOf(post, contracts))
      : null;
  return {
    entitledCents: post.fundingCents + post.bonusCents,
    paidCents: post.paidCents,
    weights: trancheWeights(
      {
        phase: convention.phase,
        typology: post.typology,
        fundingStart: post.fundingStart,
        months: post.fundingMonths,
        bonusCents: post.bonusCents,
        worked,
      },
      schedule,
    ),
  };
}

export function unpaidRanks(tranches: readonly Pick<Tranche, 'rank' | 'paidOn'>[]): number[] {
  return tranches.filter((t) => !t.paidOn).map((t) => t.rank);
}

/** Brings the agreement's committed amount, posts count and unpaid tranche amounts in line with its posts. */
export function recompute(book: ConventionBook): void {
  const { convention, posts, tranches, contracts } = book;
  convention.amountCents = posts.reduce((total, p) => total + p.fundingCents + p.bonusCents, 0);
  convention.postsCount = posts.filter((p) => p.state !== 'RENDU').length;
  const schedule = scheduleOf(tranches);
  const amounts = unpaidTrancheAmounts(
    posts.map((p) => postLedger(convention, p, schedule, contracts)),
    unpaidRanks(tranches),
  );
  for (const tranche of tranches) {
    if (!tranche.paidOn) tranche.amountCents = amounts.get(tranche.rank)!;
  }
}

/**
 * Cuts a post leaving its agreement on a day to the months an advisor was in post (*mois utilisés*, a never-filled
 * post keeps nothing); returns what was paid beyond that, for a credit note. The caller recomputes the book.
 */
export function cutPostFunding(book: ConventionBook, post: Post, on: IsoDate, exitReason: Post['exitReason'] & string): number {
  const used = monthsWorked(post.fundingStart, post.fundingMonths, on, workOf(post, book.contracts)).length;
  const cut = fundingForMonths({ amountCents: post.fundingCents, bonusCents: post.bonusCents, months: post.fundingMonths }, used);
  post.fundingCents = cut.amountCents;
  post.bonusCents = cut.bonusCents;
  post.monthsUsed = used;
  post.state = 'RENDU';
  post.givenBackOn = on;
  post.exitReason = exitReason;
  post.conseillerId = null;
  return overpaidCents({ entitledCents: post.fundingCents + post.bonusCents, paidCents: post.paidCents });
}

/** Contract facts of a list of contracts, as the tranche rules read them. */
function contractFacts(contracts: readonly EmploymentContract[]) {
  return contracts.map((c) => ({ postId: c.post.id, startDate: c.startDate, lastDay: c.endedEarlyOn ?? c.endDate ?? null }));
}

/** A tranche's status on a day, from its agreement's posts and the contracts received for them. */
export function stateOfTranche(
  convention: Convention,
  tranche: Tranche,
  tranches: readonly Tranche[],
  posts: readonly Post[],
  contracts: readonly EmploymentContract[],
  on: IsoDate,
): TrancheState {
  const schedule = scheduleOf(tranches);
  const ranks = unpaidRanks(tranches);
  const postFacts = posts.map((post) => ({
    id: post.id,
    shareCents: tranche.paidOn ? 0 : (allocateUnpaid(postLedger(convention, post, schedule, contracts), ranks).get(tranche.rank) ?? 0),
  }));
  const facts = {
    rank: tranche.rank,
    periodStart: tranche.periodStart,
    periodEnd: tranche.periodEnd,
    dueDate: tranche.dueDate,
    amountCents: tranche.amountCents,
    paidOn: tranche.paidOn ?? null,
  };
  return trancheState(facts, { terminatedOn: convention.terminatedOn ?? null, posts: postFacts, contracts: contractFacts(contracts) }, on);
}
