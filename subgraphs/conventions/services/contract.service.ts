import type { EntityManager } from '@mikro-orm/postgresql';
import type { IsoDate } from '../../../common/calendar.js';
import { RecruitmentContract } from '../../../common/events/copies.js';
import { Convention, EmploymentContract } from '../entities/index.js';
import { placeContracts, termsOf } from '../rules/contracts.js';
import { recompute, type ConventionBook } from '../rules/ledger.js';
import { SIGNED_STATUSES } from '../rules/status.js';
import { lockKey, openBook } from './ledger.service.js';

/**
 * The contracts received of a structure, derived from conventions' copy of recruitment's contracts (README,
 * Domain events; the rules in rules/contracts.ts). Run by the consumer of recruitment's contract events and by the
 * steps that fund posts or start an agreement, so a contract waiting for a post is taken as soon as one is there.
 */

/**
 * Serialises the placement of a structure's contracts until the transaction ends. A step that locks one of the
 * structure's agreements and then reconciles takes it first, so that it and a concurrent reconciliation lock the
 * agreements in the same order.
 */
export function lockStructurePosts(tx: EntityManager, structureId: number): Promise<void> {
  return lockKey(tx, 'structurePosts', structureId);
}

/**
 * Brings the posts of a structure's running signed agreements in line with recruitment's contracts, inside the
 * caller's transaction: each contract that employs is received on a post (or waits for one), its dates follow
 * recruitment's, a post is OCCUPE exactly while a contract received on it is in post. Idempotent: the same copies
 * give the same rows, and an unchanged row is not written. `on` is the day a contract received now is dated
 * (`receivedOn`): the day of the event or of the step that led to it.
 */
export async function reconcileStructurePosts(tx: EntityManager, structureId: number, on: IsoDate): Promise<void> {
  await lockStructurePosts(tx, structureId);
  const copies = await tx.find(
    RecruitmentContract,
    { structureId, employedFrom: { $ne: null } },
    { orderBy: { employedFrom: 'asc', miseEnRelationId: 'asc' }, refresh: true },
  );
  const byCopy = new Map(copies.map((c) => [c.miseEnRelationId, c]));
  const received = copies.length ? await tx.find(EmploymentContract, { miseEnRelationId: { $in: [...byCopy.keys()] } }) : [];
  // Every contract received follows recruitment's terms (an extension, a rupture), on a running agreement or an ended
  // one; after the agreements are opened, which reloads their rows. Equal values leave a row clean: only a change is written.
  const followTerms = () => {
    for (const row of received) Object.assign(row, termsOf(byCopy.get(row.miseEnRelationId)!));
  };
  const running = await tx.find(
    Convention,
    { structureId, status: { $in: [...SIGNED_STATUSES] }, terminatedOn: null },
    { fields: ['id'], orderBy: { id: 'asc' } },
  );
  if (running.length === 0) {
    followTerms();
    await tx.flush();
    return;
  }
  const books: ConventionBook[] = [];
  // One at a time, in id order: the order every step locks agreements in.
  for (const { id } of running) books.push(await openBook(tx, id));
  followTerms();
  const { placements, changes } = placeContracts(books, copies, received);
  for (const { copy, book, post } of placements) {
    book.contracts.push(tx.create(EmploymentContract, { post, miseEnRelationId: copy.miseEnRelationId, ...termsOf(copy), receivedOn: on }));
  }
  for (const { post, state, conseillerId } of changes) Object.assign(post, { state, conseillerId });
  for (const book of books) recompute(book);
  await tx.flush();
}
