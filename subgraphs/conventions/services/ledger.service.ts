import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ConflictError, ErrorCode, NotFoundError } from '../../../common/errors.js';
import { Convention, CreditNote, EmploymentContract, Post, Tranche } from '../entities/index.js';
import type { Viewer } from '../../../common/viewer.js';
import { lockRow, writeStep } from '../../../common/write.js';
import { assertMayTake, assertWithinReach } from './access.js';
import type { IsoDate } from './dates.js';
import { fundingForMonths, monthsWorked, trancheWeights, type TranchePeriod, type WorkPeriod } from './subsidy.rules.js';
import { allocateUnpaid, overpaidCents, trancheState, unpaidTrancheAmounts, type PostLedger, type TrancheState } from './tranche.rules.js';
import { SIGNED_STATUSES } from './status.rules.js';

/**
 * The money of one agreement: its posts' funding, its tranches and what each post receives from them. Every
 * write goes through here so that the agreement's committed amount, its unpaid tranches and its posts' paid
 * amounts always agree (the sum of the posts' `paidCents` equals the sum of the paid tranches).
 */

/** An agreement and its rows, read inside the caller's transaction, the agreement row locked. */
export interface ConventionBook {
  convention: Convention;
  posts: Post[];
  tranches: Tranche[];
  contracts: EmploymentContract[];
}

/** The agreement row, locked: its posts, tranches and contracts are written only under it. */
export function lockConvention(em: EntityManager, id: number): Promise<Convention> {
  return lockRow(em, Convention, id);
}

/** First keys of the transaction-scoped advisory locks: what they serialise, the second key being an id. */
const ADVISORY_LOCKS = {
  /** Openings of agreements for one structure (one agreement per structure and phase). */
  structureOpening: 0x636f6e76,
  /** Contracts of one advisor (one running contract at a time, whichever agreement). */
  advisorContract: 0x636f6e77,
} as const;

/**
 * Serialises, until the transaction ends, the writes that check a rule spanning rows no single lock covers
 * (concurrent transactions would otherwise both pass the check).
 */
export async function lockKey(em: EntityManager, scope: keyof typeof ADVISORY_LOCKS, id: number): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(?, ?)', [ADVISORY_LOCKS[scope], id]);
}

export async function openBook(em: EntityManager, id: number): Promise<ConventionBook> {
  const convention = await lockConvention(em, id);
  // Read afresh under the agreement's lock, whatever the transaction read of them before.
  const [posts, tranches, contracts] = await Promise.all([
    em.find(Post, { convention }, { orderBy: { id: 'asc' }, refresh: true }),
    em.find(Tranche, { convention }, { orderBy: { rank: 'asc' }, refresh: true }),
    em.find(EmploymentContract, { post: { convention } }, { orderBy: { startDate: 'asc', id: 'asc' }, refresh: true }),
  ]);
  return { convention, posts, tranches, contracts };
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
function workOf(post: Post, contracts: readonly EmploymentContract[]): WorkPeriod[] {
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
 * Takes a post out of its agreement on a day: its funding is cut to the months an advisor was in post (*mois
 * utilisés*, a never-filled post keeps nothing), and a credit note claims back what was paid beyond that. The
 * caller recomputes the book afterwards.
 */
export function givePostBack(
  em: EntityManager,
  book: ConventionBook,
  post: Post,
  on: IsoDate,
  exitReason: Post['exitReason'] & string,
  creditReason: CreditNote['reason'],
): CreditNote | null {
  const used = monthsWorked(post.fundingStart, post.fundingMonths, on, workOf(post, book.contracts)).length;
  const cut = fundingForMonths({ amountCents: post.fundingCents, bonusCents: post.bonusCents, months: post.fundingMonths }, used);
  post.fundingCents = cut.amountCents;
  post.bonusCents = cut.bonusCents;
  post.monthsUsed = used;
  post.state = 'RENDU';
  post.givenBackOn = on;
  post.exitReason = exitReason;
  post.conseillerId = null;
  const owed = overpaidCents({ entitledCents: post.fundingCents + post.bonusCents, paidCents: post.paidCents });
  if (owed === 0) return null;
  return em.create(CreditNote, { convention: book.convention, postId: post.id, amountCents: owed, reason: creditReason, issuedOn: on });
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

/** Marks a due tranche paid: each post's share is added to what it was paid, and the amount is frozen. */
export async function markTranchePaid(em: EntityManager, actor: Viewer, trancheId: number, paidOn: IsoDate): Promise<Tranche> {
  assertMayTake(actor, 'markTranchePaid');
  return writeStep(em, async (tx) => {
    const found = await tx.findOne(Tranche, trancheId, { fields: ['convention'] });
    if (!found) throw new NotFoundError('Tranche', trancheId);
    const book = await openBook(tx, found.convention.id);
    assertWithinReach(actor, book.convention, 'markTranchePaid');
    const tranche = book.tranches.find((t) => t.id === trancheId)!;
    if (tranche.paidOn) throw new ConflictError(`Tranche ${trancheId} was already paid on ${tranche.paidOn}.`, { field: 'id' });
    const earlier = book.tranches.find((t) => t.rank < tranche.rank && !t.paidOn);
    if (earlier)
      throw new AppError(ErrorCode.INVALID_STATUS_TRANSITION, `Tranche ${earlier.rank} must be paid before tranche ${tranche.rank}.`, {
        entity: 'Tranche',
        from: 'UNPAID',
        to: 'PAID',
      });
    const state = stateOfTranche(book.convention, tranche, book.tranches, book.posts, book.contracts, paidOn);
    if (state.status !== 'DUE') {
      throw new AppError(
        ErrorCode.INVALID_STATUS_TRANSITION,
        `Tranche ${trancheId} is ${state.status} on ${paidOn}${state.blockedReason ? `: ${state.blockedReason}` : '.'}`,
        {
          entity: 'Tranche',
          from: state.status,
          to: 'PAID',
        },
      );
    }
    const schedule = scheduleOf(book.tranches);
    const ranks = unpaidRanks(book.tranches);
    let paid = 0;
    for (const post of book.posts) {
      const share = allocateUnpaid(postLedger(book.convention, post, schedule, book.contracts), ranks).get(tranche.rank)!;
      post.paidCents += share;
      paid += share;
    }
    tranche.amountCents = paid;
    tranche.paidOn = paidOn;
    await tx.flush();
    return tranche;
  });
}
