import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, BadUserInputError, ErrorCode, NotFoundError } from '../../../common/errors.js';
import type { Viewer } from '../../../common/viewer.js';
import { Post } from '../entities/index.js';
import type { IsoDate } from '../../../common/calendar.js';
import { assertRunning, fundPost, recompute } from '../rules/ledger.js';
import { inHand, step } from './access.js';
import { givePostBack, openBook } from './ledger.service.js';

export interface TransferPostInput {
  postId: number;
  toConventionId: number;
  on: IsoDate;
}

/**
 * Transfers a post to another structure's signed agreement: it is given back here on `on` (funding cut, credit
 * note if overpaid) and a new post, pointing at it, is funded there for the months left; an advisor in post moves
 * with it.
 */
export function transferPost(em: EntityManager, viewer: Viewer, { postId, toConventionId, on }: TransferPostInput): Promise<Post> {
  return step(em, viewer, 'transferPost', async ({ tx, reach }) => {
    const found = await tx.findOne(Post, postId, { fields: ['convention'] });
    if (!found) throw new NotFoundError('Post', postId);
    const fromId = found.convention.id;
    if (fromId === toConventionId) throw new BadUserInputError('A post is transferred to another agreement.', 'input.toConventionId');
    // Lock both agreements in id order, so two crossed transfers cannot deadlock.
    const low = await openBook(tx, Math.min(fromId, toConventionId));
    const high = await openBook(tx, Math.max(fromId, toConventionId));
    const source = low.convention.id === fromId ? low : high;
    const target = source === low ? high : low;
    const post = source.posts.find((p) => p.id === postId)!;
    reach(inHand(source.convention), `convention ${source.convention.id}`);
    reach(inHand(target.convention), `convention ${target.convention.id}`);
    assertRunning(source.convention, 'transfer its posts');
    assertRunning(target.convention, 'receive a post');
    if (target.convention.structureId === source.convention.structureId)
      throw new BadUserInputError('A post is transferred to another structure.', 'input.toConventionId');
    if (post.state === 'RENDU')
      throw new AppError(ErrorCode.INVALID_STATUS_TRANSITION, `Post ${postId} was given back on ${post.givenBackOn}.`, {
        entity: 'Post',
        from: 'RENDU',
        to: 'TRANSFERT',
      });
    if (on < target.convention.startDate || on > target.convention.endDate || on < post.fundingStart) {
      throw new BadUserInputError(`The transfer day must fall within both agreements' periods.`, 'input.on');
    }
    const moved = { state: post.state, conseillerId: post.conseillerId ?? null };
    givePostBack(tx, source, post, on, 'TRANSFERT', 'POST_GIVEN_BACK');
    const created = tx.create(Post, {
      convention: target.convention,
      structureId: target.convention.structureId,
      typology: post.typology,
      coordinatorContract: post.coordinatorContract ?? null,
      ...moved,
      attributionDate: on,
      transferredFromId: post.id,
      ...fundPost(target.convention, post, on),
    });
    target.posts.push(created);
    recompute(source);
    recompute(target);
    await tx.flush();
    return created;
  });
}
