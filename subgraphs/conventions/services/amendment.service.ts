import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, BadUserInputError, ErrorCode, InvalidStatusTransitionError, NotFoundError } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import { Amendment, Post } from '../entities/index.js';
import { AJOUT_REASONS, RETRAIT_REASONS, type AmendmentReason, type AmendmentType } from '../entities/vocabulary.js';
import { maxDate, type IsoDate } from './dates.js';
import { assertRunning, givePostBack, openBook, recompute, type ConventionBook } from './ledger.service.js';
import { fundPost } from './post.service.js';
import type { CoordinatorContract } from './subsidy.rules.js';

export interface RequestAmendmentInput {
  conventionId: string;
  type: AmendmentType;
  postsRequested?: number | null;
  coordinatorContract?: CoordinatorContract | null;
  postIds?: readonly string[] | null;
  reason: AmendmentReason;
  reasonDetail?: string | null;
  requestedOn: IsoDate;
}

/** The vacant posts a RETRAIT hands back: only vacant posts can be (an occupied post's contract must end first). */
function postsToGiveBack(book: ConventionBook, ids: readonly number[], field: string): Post[] {
  return ids.map((id) => {
    const post = book.posts.find((p) => p.id === id);
    if (!post) throw new BadUserInputError(`Post ${id} is not a post of convention ${book.convention.id}.`, field);
    if (post.state !== 'VACANT') throw new BadUserInputError(`Post ${id} is ${post.state}: only vacant posts can be handed back.`, field);
    return post;
  });
}

/** Records a request to add posts (AJOUT) or to hand vacant posts back (RETRAIT) on a signed, running agreement. */
export async function requestAmendment(em: EntityManager, input: RequestAmendmentInput): Promise<Amendment> {
  const conventionId = parseId(input.conventionId, 'input.conventionId');
  const ajout = input.type === 'AJOUT';
  if (!(ajout ? AJOUT_REASONS : RETRAIT_REASONS).includes(input.reason)) {
    throw new BadUserInputError(`${input.reason} is not a reason to ${ajout ? 'ask for' : 'hand back'} posts.`, 'input.reason');
  }
  if (input.reason === 'AUTRE' && !input.reasonDetail?.trim()) throw new BadUserInputError('The reason AUTRE needs a detail.', 'input.reasonDetail');
  if (ajout && (!Number.isInteger(input.postsRequested) || input.postsRequested! < 1)) throw new BadUserInputError('Ask for one post or more.', 'input.postsRequested');
  if (ajout && input.postIds?.length) throw new BadUserInputError('Posts are listed only to hand them back.', 'input.postIds');
  if (!ajout && input.postsRequested != null) throw new BadUserInputError('postsRequested is only for AJOUT.', 'input.postsRequested');
  if (!ajout && input.coordinatorContract) throw new BadUserInputError('coordinatorContract is only for AJOUT.', 'input.coordinatorContract');
  const postIds = (input.postIds ?? []).map((id) => parseId(id, 'input.postIds'));
  if (!ajout && (postIds.length === 0 || new Set(postIds).size !== postIds.length)) throw new BadUserInputError('List the distinct posts handed back.', 'input.postIds');

  return em.transactional(async (tx) => {
    const book = await openBook(tx, conventionId);
    assertRunning(book.convention, 'amend it');
    const posts = postsToGiveBack(book, postIds, 'input.postIds');
    if (posts.length > 0) {
      const pending = await tx.find(Amendment, { convention: book.convention, type: 'RETRAIT', status: 'EN_COURS' });
      const clash = pending.find((a) => a.givenBackPostIds?.some((id) => postIds.includes(id)));
      if (clash) throw new AppError(ErrorCode.CONFLICT, `Amendment ${clash.id} already hands back one of these posts.`, { field: 'input.postIds' });
    }
    const amendment = tx.create(Amendment, {
      convention: book.convention,
      type: input.type,
      status: 'EN_COURS',
      coordinator: ajout ? input.coordinatorContract != null : posts.some((p) => p.typology === 'COORDINATEUR'),
      coordinatorContract: input.coordinatorContract ?? null,
      reason: input.reason,
      reasonDetail: input.reasonDetail?.trim() || null,
      postsBefore: book.convention.postsCount,
      postsRequested: ajout ? input.postsRequested! : null,
      givenBackPostIds: ajout ? null : postIds,
      requestedOn: input.requestedOn,
    });
    await tx.flush();
    return amendment;
  });
}

/**
 * Decides an amendment. Accepted, it is applied: AJOUT adds the posts granted, vacant, funded for the months left;
 * RETRAIT gives the posts back (funding cut to the months begun, credit notes for overpayments). Either way the
 * unpaid tranches are recomputed.
 */
export async function decideAmendment(em: EntityManager, id: number, accept: boolean, decidedOn: IsoDate, postsGranted?: number | null): Promise<Amendment> {
  return em.transactional(async (tx) => {
    const found = await tx.findOne(Amendment, id, { fields: ['convention'] });
    if (!found) throw new NotFoundError('Amendment', id);
    const book = await openBook(tx, found.convention.id);
    const amendment = await tx.findOneOrFail(Amendment, id, { refresh: true });
    const to = accept ? 'VALIDEE' : 'REFUSEE';
    if (amendment.status !== 'EN_COURS') throw new InvalidStatusTransitionError('Amendment', amendment.status, to);
    if (decidedOn < amendment.requestedOn) throw new BadUserInputError('The decision cannot precede the request.', 'decidedOn');
    if (postsGranted != null && (!accept || amendment.type !== 'AJOUT')) throw new BadUserInputError('postsGranted is only for accepting an AJOUT.', 'postsGranted');
    if (accept) {
      assertRunning(book.convention, 'amend it');
      if (decidedOn > book.convention.endDate) throw new BadUserInputError(`Convention ${book.convention.id} ends on ${book.convention.endDate}.`, 'decidedOn');
      if (amendment.type === 'AJOUT') {
        const granted = postsGranted ?? amendment.postsRequested!;
        if (!Number.isInteger(granted) || granted < 1 || granted > amendment.postsRequested!) {
          throw new BadUserInputError(`Grant between 1 and ${amendment.postsRequested} posts.`, 'postsGranted');
        }
        const kind = amendment.coordinatorContract ? { typology: 'COORDINATEUR' as const, coordinatorContract: amendment.coordinatorContract } : { typology: 'CONSEILLER' as const, coordinatorContract: null };
        const start = maxDate(decidedOn, book.convention.startDate);
        for (let i = 0; i < granted; i++) {
          book.posts.push(tx.create(Post, { convention: book.convention, structureId: book.convention.structureId, state: 'VACANT', attributionDate: decidedOn, ...kind, ...fundPost(book.convention, kind, start) }));
        }
        amendment.postsGranted = granted;
      } else {
        for (const post of postsToGiveBack(book, amendment.givenBackPostIds ?? [], 'id')) {
          givePostBack(tx, book, post, decidedOn, 'AVENANT_RETRAIT', 'POST_GIVEN_BACK');
        }
      }
      recompute(book);
    }
    amendment.status = to;
    amendment.decidedOn = decidedOn;
    await tx.flush();
    return amendment;
  });
}
