/**
 * Payments (tranches) of an agreement: what each post still receives from each unpaid tranche, what a post owes
 * back (credit note, *avoir*), and whether a tranche can be paid. Pure functions over plain values, in cents.
 */

import type { IsoDate } from '../../../common/calendar.js';
import { splitProportionally } from './subsidy.js';

export type TrancheStatus = 'PLANNED' | 'DUE' | 'BLOCKED' | 'PAID';

/** The money side of one post. */
export interface PostLedger {
  /** Subsidy the post is entitled to now (base + bonification), in cents. */
  entitledCents: number;
  /** Already paid for this post through paid tranches, in cents. */
  paidCents: number;
  /** Spread of the post's subsidy over the tranches, by rank (index 0 = tranche 1). */
  weights: readonly number[];
}

/**
 * What a post still receives, by unpaid tranche rank: the rest of its subsidy (never negative) spread over the
 * unpaid tranches in proportion to its weights.
 */
export function allocateUnpaid(post: PostLedger, unpaidRanks: readonly number[]): Map<number, number> {
  const owed = Math.max(0, post.entitledCents - post.paidCents);
  const parts = splitProportionally(
    owed,
    unpaidRanks.map((rank) => post.weights[rank - 1] ?? 0),
  );
  return new Map(unpaidRanks.map((rank, i) => [rank, parts[i]!]));
}

/** Amount of each unpaid tranche: the sum of what every post still receives from it. */
export function unpaidTrancheAmounts(posts: readonly PostLedger[], unpaidRanks: readonly number[]): Map<number, number> {
  const totals = new Map(unpaidRanks.map((rank) => [rank, 0]));
  for (const post of posts) {
    for (const [rank, cents] of allocateUnpaid(post, unpaidRanks)) totals.set(rank, totals.get(rank)! + cents);
  }
  return totals;
}

/** What a post owes back once its subsidy has been cut below what was already paid for it (credit note). */
export function overpaidCents(post: Pick<PostLedger, 'entitledCents' | 'paidCents'>): number {
  return Math.max(0, post.paidCents - post.entitledCents);
}

export interface TrancheFacts {
  rank: number;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  dueDate: IsoDate;
  amountCents: number;
  paidOn: IsoDate | null;
}

export interface PostFacts {
  id: number;
  /** What the post receives from this tranche: a post given back keeps a share for the months it was funded. */
  shareCents: number;
}

export interface ContractFacts {
  postId: number;
  startDate: IsoDate;
  /** Last day actually worked: the early end when there was one, else the planned end (null for a CDI). */
  lastDay: IsoDate | null;
}

export interface TrancheState {
  status: TrancheStatus;
  /** Why a BLOCKED tranche cannot be paid; null otherwise. */
  blockedReason: string | null;
}

/**
 * Whether a tranche is planned, due, blocked or paid on a given day. It is due from its due date once every post
 * it pays for has an employment contract received that covers part of the tranche's year.
 */
export function trancheState(
  tranche: TrancheFacts,
  context: { terminatedOn: IsoDate | null; posts: readonly PostFacts[]; contracts: readonly ContractFacts[] },
  on: IsoDate,
): TrancheState {
  if (tranche.paidOn) return { status: 'PAID', blockedReason: null };
  if (context.terminatedOn && context.terminatedOn < tranche.periodStart) {
    return { status: 'BLOCKED', blockedReason: `The agreement ended on ${context.terminatedOn}, before this tranche's year.` };
  }
  if (on < tranche.dueDate) return { status: 'PLANNED', blockedReason: null };
  if (tranche.amountCents === 0)
    return { status: 'BLOCKED', blockedReason: 'Nothing is left to pay in this tranche: its posts were given back.' };
  const covered = (postId: number) =>
    context.contracts.some(
      (c) => c.postId === postId && c.startDate <= tranche.periodEnd && (c.lastDay === null || c.lastDay >= tranche.periodStart),
    );
  const missing = context.posts.filter((p) => p.shareCents > 0 && !covered(p.id)).map((p) => p.id);
  if (missing.length > 0) {
    return {
      status: 'BLOCKED',
      blockedReason: `No employment contract received covering ${tranche.periodStart} – ${tranche.periodEnd} for post${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
    };
  }
  return { status: 'DUE', blockedReason: null };
}
