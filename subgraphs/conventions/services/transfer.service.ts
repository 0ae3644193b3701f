import type { EntityManager } from '@mikro-orm/postgresql';
import type { postsTransferred } from '../../../common/events/catalogue.js';
import type { PayloadOf } from '../../../common/events/event.js';
import { PostTransfer } from '../entities/index.js';
import { recompute, type ConventionBook } from '../rules/ledger.js';
import { lockStructurePosts, reconcileStructurePosts } from './contract.service.js';
import { addVacantPosts, givePostBack, openBook, runningAgreement, vacantPosts } from './ledger.service.js';

/**
 * Vacant posts moved from one structure to another in recruitment (`posts-transferred`), applied here on the
 * transfer day: up to `posts` vacant advisor posts of the source's running signed agreement are given back there
 * (TRANSFERT: funding cut to the months used, credit note if overpaid), and as many are funded on the target's
 * running signed agreement for the months left, each pointing at the post it comes from. A side with no running
 * signed agreement moves nothing: no post is invented there, and the row recorded says how many moved. Called by
 * the consumer, in its transaction; a transfer already recorded changes nothing.
 */
export async function recordTransfer(tx: EntityManager, transfer: PayloadOf<typeof postsTransferred>): Promise<PostTransfer> {
  const known = await tx.findOne(PostTransfer, { transferId: transfer.transferId });
  if (known) return known;
  const { fromStructureId, toStructureId, posts, on } = transfer;
  // Both structures' placement locks first, in id order, then the agreements': the order every step takes them in.
  for (const id of [fromStructureId, toStructureId].sort((a, b) => a - b)) await lockStructurePosts(tx, id);
  const [fromId, toId] = await Promise.all([runningAgreement(tx, fromStructureId, on), runningAgreement(tx, toStructureId, on)]);
  // Lock both agreements in id order, so two crossed transfers cannot deadlock.
  const books = new Map<number, ConventionBook>();
  for (const id of [fromId, toId].filter((v): v is number => v != null).sort((a, b) => a - b)) books.set(id, await openBook(tx, id));
  const source = fromId ? books.get(fromId)! : null;
  const target = toId ? books.get(toId)! : null;
  const leaving = source ? vacantPosts(source, false, posts) : [];
  for (const post of leaving) givePostBack(tx, source!, post, on, 'TRANSFERT', 'POST_GIVEN_BACK');
  if (target)
    for (const post of leaving)
      addVacantPosts(tx, target, { typology: post.typology, coordinatorContract: post.coordinatorContract ?? null }, 1, on, {
        transferredFromId: post.id,
      });
  for (const book of books.values()) recompute(book);
  const row = tx.create(PostTransfer, {
    transferId: transfer.transferId,
    fromStructureId,
    toStructureId,
    posts,
    on,
    fromConventionId: fromId,
    toConventionId: toId,
    postsGivenBack: leaving.length,
    postsFunded: target ? leaving.length : 0,
  });
  await tx.flush();
  // The posts funded on the target take the contracts that were waiting there.
  if (target && leaving.length > 0) await reconcileStructurePosts(tx, toStructureId, on);
  return row;
}
