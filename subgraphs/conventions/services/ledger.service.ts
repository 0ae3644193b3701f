import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ConflictError, ErrorCode, NotFoundError } from '../../../common/errors.js';
import { Convention, CreditNote, EmploymentContract, Post, Tranche } from '../entities/index.js';
import type { Viewer } from '../../../common/viewer.js';
import { lockRow } from '../../../common/write.js';
import { inHand, step } from './access.js';
import type { IsoDate } from '../../../common/calendar.js';
import { cutPostFunding, postLedger, scheduleOf, stateOfTranche, unpaidRanks, type ConventionBook } from '../rules/ledger.js';
import { allocateUnpaid } from '../rules/tranche.js';

/**
 * The money of one agreement, read and written under its row's lock: every write goes through here or through the
 * books' rules (rules/ledger.ts), so that the agreement's committed amount, its unpaid tranches and its posts' paid
 * amounts always agree.
 */

/** The agreement row, locked: its posts, tranches and contracts are written only under it. */
export function lockConvention(em: EntityManager, id: number): Promise<Convention> {
  return lockRow(em, Convention, id);
}

/** First keys of the transaction-scoped advisory locks: what they serialise, the second key being an id. */
const ADVISORY_LOCKS = {
  /** Openings of agreements for one structure (one agreement per structure and phase). */
  structureOpening: 0x636f6e76,
  /**
   * Which contract holds which post of one structure (services/contract.service.ts): taken before any of its
   * agreements is locked, by every step that places contracts.
   */
  structurePosts: 0x636f6e77,
} as const;

/**
 * Serialises, until the transaction ends, the writes that check a rule spanning rows no single lock covers
 * (concurrent transactions would otherwise both pass the check).
 */
export async function lockKey(em: EntityManager, scope: keyof typeof ADVISORY_LOCKS, id: number): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(?, ?)', [ADVISORY_LOCKS[scope], id]);
}

/** An agreement and its rows, inside the caller's transaction, the agreement row locked. */
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

/**
 * Takes a post out of its agreement on a day (`cutPostFunding`), and issues a credit note for what was paid beyond
 * the months used. The caller recomputes the book afterwards.
 */
export function givePostBack(
  em: EntityManager,
  book: ConventionBook,
  post: Post,
  on: IsoDate,
  exitReason: Post['exitReason'] & string,
  creditReason: CreditNote['reason'],
): CreditNote | null {
  const owed = cutPostFunding(book, post, on, exitReason);
  if (owed === 0) return null;
  return em.create(CreditNote, { convention: book.convention, postId: post.id, amountCents: owed, reason: creditReason, issuedOn: on });
}

export interface MarkTranchePaidInput {
  trancheId: number;
  paidOn: IsoDate;
}

/** Marks a due tranche paid: each post's share is added to what it was paid, and the amount is frozen. */
export function markTranchePaid(em: EntityManager, viewer: Viewer, { trancheId, paidOn }: MarkTranchePaidInput): Promise<Tranche> {
  return step(em, viewer, 'markTranchePaid', async ({ tx, reach }) => {
    const found = await tx.findOne(Tranche, trancheId, { fields: ['convention'] });
    if (!found) throw new NotFoundError('Tranche', trancheId);
    const book = await openBook(tx, found.convention.id);
    reach(inHand(book.convention), `convention ${book.convention.id}`);
    const tranche = book.tranches.find((t) => t.id === trancheId)!;
    if (tranche.paidOn)
      throw new ConflictError(`Tranche ${trancheId} was already paid on ${tranche.paidOn}.`, { field: 'input.trancheId' });
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
