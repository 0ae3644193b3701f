import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, BadUserInputError, ConflictError, ErrorCode, NotFoundError } from '../../../common/errors.js';
import type { Step } from '../../../common/steps.js';
import type { Viewer } from '../../../common/viewer.js';
import { EmploymentContract, Post } from '../entities/index.js';
import type { IsoDate } from '../../../common/calendar.js';
import { assertRunning, fundPost, recompute } from '../rules/ledger.js';
import { checkContractDates } from '../rules/validation.js';
import { inHand, step } from './access.js';
import { givePostBack, lockKey, openBook } from './ledger.service.js';

export interface RecordContractInput {
  postId: number;
  conseillerId: number;
  type: EmploymentContract['type'];
  startDate: IsoDate;
  endDate?: IsoDate | null;
  receivedOn: IsoDate;
}

/** The agreement a post belongs to, opened and locked, checked within the viewer's reach; the post taken from it. */
async function openPostBook({ tx, reach }: Step, postId: number) {
  const found = await tx.findOne(Post, postId, { fields: ['convention'] });
  if (!found) throw new NotFoundError('Post', postId);
  const book = await openBook(tx, found.convention.id);
  reach(inHand(book.convention), `convention ${book.convention.id}`);
  return { book, post: book.posts.find((p) => p.id === postId)! };
}

/**
 * Records an employment contract received for a post: the post is occupied by that advisor. A post already held
 * by someone else must be freed first, and an advisor holds one contract at a time (the post they are renewed
 * from excepted).
 */
export function recordEmploymentContract(em: EntityManager, viewer: Viewer, input: RecordContractInput): Promise<EmploymentContract> {
  const { postId, conseillerId } = input;
  return step(em, viewer, 'recordEmploymentContract', { check: () => checkContractDates(input) }, async (context) => {
    const { tx } = context;
    const { book, post } = await openPostBook(context, postId);
    await lockKey(tx, 'advisorContract', conseillerId);
    if (book.convention.terminatedOn || book.convention.status === 'NON_INTERESSE') {
      throw new AppError(ErrorCode.INVALID_STATUS_TRANSITION, `Convention ${book.convention.id} no longer funds posts.`, {
        entity: 'Convention',
        from: book.convention.status,
      });
    }
    if (post.state === 'RENDU')
      throw new AppError(ErrorCode.INVALID_STATUS_TRANSITION, `Post ${postId} was given back on ${post.givenBackOn}.`, {
        entity: 'Post',
        from: 'RENDU',
        to: 'OCCUPE',
      });
    if (input.startDate > book.convention.endDate)
      throw new BadUserInputError(`The contract starts after the agreement ends (${book.convention.endDate}).`, 'input.startDate');
    if (post.state === 'OCCUPE' && post.conseillerId !== conseillerId) {
      throw new ConflictError(`Post ${postId} is held by advisor ${post.conseillerId}: end their contract first.`, {
        field: 'input.postId',
      });
    }
    const elsewhere = await tx.findOne(EmploymentContract, {
      conseillerId,
      endedEarlyOn: null,
      post: { id: { $nin: [postId, post.renewedFromId ?? 0] }, state: { $ne: 'RENDU' } },
      $or: [{ endDate: null }, { endDate: { $gte: input.startDate } }],
    });
    if (elsewhere)
      throw new ConflictError(`Advisor ${conseillerId} already holds a running contract on post ${elsewhere.post.id}.`, {
        field: 'input.conseillerId',
      });
    const contract = tx.create(EmploymentContract, {
      post,
      conseillerId,
      type: input.type,
      startDate: input.startDate,
      endDate: input.endDate ?? null,
      receivedOn: input.receivedOn,
    });
    post.state = 'OCCUPE';
    post.conseillerId = conseillerId;
    await tx.flush();
    return contract;
  });
}

export interface EndContractInput {
  contractId: number;
  endedOn: IsoDate;
}

/** A contract stops before its planned end (rupture): the post becomes vacant, ready for another advisor. */
export function endEmploymentContract(
  em: EntityManager,
  viewer: Viewer,
  { contractId, endedOn }: EndContractInput,
): Promise<EmploymentContract> {
  return step(em, viewer, 'endEmploymentContract', async (context) => {
    const { tx } = context;
    const found = await tx.findOne(EmploymentContract, contractId, { fields: ['post'] });
    if (!found) throw new NotFoundError('EmploymentContract', contractId);
    const { book, post } = await openPostBook(context, found.post.id);
    const contract = book.contracts.find((c) => c.id === contractId)!;
    if (contract.endedEarlyOn)
      throw new ConflictError(`Contract ${contractId} already ended on ${contract.endedEarlyOn}.`, { field: 'input.contractId' });
    if (endedOn < contract.startDate || (contract.endDate && endedOn >= contract.endDate)) {
      throw new BadUserInputError(
        `An early end falls between the start (${contract.startDate}) and the planned end (${contract.endDate ?? 'none, CDI'}).`,
        'input.endedOn',
      );
    }
    contract.endedEarlyOn = endedOn;
    if (post.state === 'OCCUPE' && post.conseillerId === contract.conseillerId) {
      post.state = 'VACANT';
      post.conseillerId = null;
    }
    await tx.flush();
    return contract;
  });
}

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
