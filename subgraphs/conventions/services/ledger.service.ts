import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ConflictError, ErrorCode, NotFoundError } from '../../../common/errors.js';
import { Convention, CreditNote, EmploymentContract, Post, Tranche } from '../entities/index.js';
import type { Viewer } from '../../../common/viewer.js';
import { lockRow } from '../../../common/write.js';
import { inHand, step } from './access.js';
import { maxDate, type IsoDate } from '../../../common/calendar.js';
import {
  cutPostFunding,
  fundPost,
  postLedger,
  scheduleOf,
  stateOfTranche,
  unpaidRanks,
  type ConventionBook,
  type PostKind,
} from '../rules/ledger.js';
import { allocateUnpaid } from '../rules/tranche.js';
import { SIGNED_STATUSES } from '../rules/status.js';
import type { Phase } from '../entities/vocabulary.js';

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
 * The structure's running signed agreement on a day (of `phase`, or of either, the latest first): the one an
 * amendment or a transfer decided in recruitment applies to. Null when there is none (not yet signed, ended).
 */
export async function runningAgreement(em: EntityManager, structureId: number, on: IsoDate, phase?: Phase): Promise<number | null> {
  const found = await em.findOne(
    Convention,
    {
      structureId,
      ...(phase ? { phase } : {}),
      status: { $in: [...SIGNED_STATUSES] },
      terminatedOn: null,
      startDate: { $lte: on },
      endDate: { $gte: on },
    },
    { fields: ['id'], orderBy: { startDate: 'desc', id: 'desc' } },
  );
  return found?.id ?? null;
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

/** Adds `count` vacant posts to a running agreement from `on`, funded for the months left. */
export function addVacantPosts(
  tx: EntityManager,
  book: ConventionBook,
  kind: PostKind,
  count: number,
  on: IsoDate,
  extra: Partial<Post> = {},
): Post[] {
  const start = maxDate(on, book.convention.startDate);
  const added = Array.from({ length: count }, () =>
    tx.create(Post, {
      convention: book.convention,
      structureId: book.convention.structureId,
      state: 'VACANT',
      attributionDate: on,
      ...kind,
      ...fundPost(book.convention, kind, start),
      ...extra,
    }),
  );
  book.posts.push(...added);
  return added;
}

/**
 * The vacant posts of a kind to hand back, newest first (the last funded leave first), at most `count`: an
 * occupied post stays until its contract ends (recruitment never takes back more posts than are free).
 */
export function vacantPosts(book: ConventionBook, coordinator: boolean, count: number): Post[] {
  return book.posts
    .filter((p) => p.state === 'VACANT' && (p.typology === 'COORDINATEUR') === coordinator)
    .sort((a, b) => b.id - a.id)
    .slice(0, count);
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
