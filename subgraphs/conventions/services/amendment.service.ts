import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import {
  AppError,
  BadUserInputError,
  ConflictError,
  ErrorCode,
  InvalidStatusTransitionError,
  NotFoundError,
} from '../../../common/errors.js';
import { byDate, byId, keysetPage, sortOf, type Direction, type PageArgs } from '../../../common/pagination.js';
import { Amendment, Post } from '../entities/index.js';
import { type AmendmentReason, type AmendmentType, type PrefectOpinion } from '../entities/vocabulary.js';
import type { Viewer } from '../../../common/viewer.js';
import { maxDate, type IsoDate } from '../../../common/calendar.js';
import { assertRunning, fundPost, recompute, type ConventionBook } from '../rules/ledger.js';
import type { CoordinatorContract } from '../rules/subsidy.js';
import { checkAmendmentRequest, prefectComment } from '../rules/validation.js';
import { inHand, step, visibleRows, withFilter } from './access.js';
import { givePostBack, lockConvention, openBook } from './ledger.service.js';

export interface RequestAmendmentInput {
  conventionId: number;
  type: AmendmentType;
  postsRequested?: number | null;
  coordinatorContract?: CoordinatorContract | null;
  postIds?: readonly number[] | null;
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
export function requestAmendment(em: EntityManager, viewer: Viewer, input: RequestAmendmentInput): Promise<Amendment> {
  return step(em, viewer, 'requestAmendment', { check: () => checkAmendmentRequest(input) }, async ({ tx, reach }) => {
    const ajout = input.type === 'AJOUT';
    const postIds = input.postIds ?? [];
    const book = await openBook(tx, input.conventionId);
    reach(inHand(book.convention), `convention ${book.convention.id}`);
    assertRunning(book.convention, 'amend it');
    const posts = postsToGiveBack(book, postIds, 'input.postIds');
    if (posts.length > 0) {
      const pending = await tx.find(Amendment, { convention: book.convention, type: 'RETRAIT', status: 'EN_COURS' });
      const clash = pending.find((a) => a.givenBackPostIds?.some((id) => postIds.includes(id)));
      if (clash) throw new ConflictError(`Amendment ${clash.id} already hands back one of these posts.`, { field: 'input.postIds' });
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
      givenBackPostIds: ajout ? null : [...postIds],
      requestedOn: input.requestedOn,
    });
    await tx.flush();
    return amendment;
  });
}

export interface DecideAmendmentInput {
  amendmentId: number;
  accept: boolean;
  decidedOn: IsoDate;
  postsGranted?: number | null;
}

/**
 * Decides an amendment. Accepted, it is applied: AJOUT adds the posts granted, vacant, funded for the months left;
 * RETRAIT gives the posts back (funding cut to the months begun, credit notes for overpayments). Either way the
 * unpaid tranches are recomputed.
 */
export function decideAmendment(
  em: EntityManager,
  viewer: Viewer,
  { amendmentId: id, accept, decidedOn, postsGranted }: DecideAmendmentInput,
): Promise<Amendment> {
  return step(em, viewer, 'decideAmendment', async ({ tx, reach }) => {
    const found = await tx.findOne(Amendment, id, { fields: ['convention'] });
    if (!found) throw new NotFoundError('Amendment', id);
    const book = await openBook(tx, found.convention.id);
    reach(inHand(book.convention), `convention ${book.convention.id}`);
    const amendment = await tx.findOneOrFail(Amendment, id, { refresh: true });
    const to = accept ? 'VALIDEE' : 'REFUSEE';
    if (amendment.status !== 'EN_COURS') throw new InvalidStatusTransitionError('Amendment', amendment.status, to);
    if (decidedOn < amendment.requestedOn) throw new BadUserInputError('The decision cannot precede the request.', 'input.decidedOn');
    if (postsGranted != null && (!accept || amendment.type !== 'AJOUT'))
      throw new BadUserInputError('postsGranted is only for accepting an AJOUT.', 'input.postsGranted');
    if (accept) {
      assertRunning(book.convention, 'amend it');
      if (decidedOn > book.convention.endDate)
        throw new BadUserInputError(`Convention ${book.convention.id} ends on ${book.convention.endDate}.`, 'input.decidedOn');
      if (amendment.type === 'AJOUT') {
        const granted = postsGranted ?? amendment.postsRequested!;
        if (!Number.isInteger(granted) || granted < 1 || granted > amendment.postsRequested!) {
          throw new BadUserInputError(`Grant between 1 and ${amendment.postsRequested} posts.`, 'input.postsGranted');
        }
        const kind = amendment.coordinatorContract
          ? { typology: 'COORDINATEUR' as const, coordinatorContract: amendment.coordinatorContract }
          : { typology: 'CONSEILLER' as const, coordinatorContract: null };
        const start = maxDate(decidedOn, book.convention.startDate);
        for (let i = 0; i < granted; i++) {
          book.posts.push(
            tx.create(Post, {
              convention: book.convention,
              structureId: book.convention.structureId,
              state: 'VACANT',
              attributionDate: decidedOn,
              ...kind,
              ...fundPost(book.convention, kind, start),
            }),
          );
        }
        amendment.postsGranted = granted;
      } else {
        for (const post of postsToGiveBack(book, amendment.givenBackPostIds ?? [], 'input.amendmentId')) {
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

export interface PrefectOpinionInput {
  amendmentId: number;
  opinion: PrefectOpinion;
  comment: string;
  givenOn: IsoDate;
  transferFromStructureId?: number | null;
}

/**
 * Records the département prefecture's opinion on a pending amendment (`prefet.avis`, a comment of 10 to 1,000
 * characters, possibly naming the structure posts are transferred from). It informs the decision, it does not make it.
 */
export function givePrefectOpinion(em: EntityManager, viewer: Viewer, input: PrefectOpinionInput): Promise<Amendment> {
  const id = input.amendmentId;
  return step(em, viewer, 'givePrefectOpinion', { check: () => prefectComment(input.comment) }, async ({ tx, reach }, comment) => {
    const transferFrom = input.transferFromStructureId ?? null;
    const found = await tx.findOne(Amendment, id, { fields: ['convention'] });
    if (!found) throw new NotFoundError('Amendment', id);
    const convention = await lockConvention(tx, found.convention.id);
    reach(inHand(convention), `convention ${convention.id}`);
    const amendment = await tx.findOneOrFail(Amendment, id, { refresh: true, populate: ['convention'] });
    if (amendment.status !== 'EN_COURS')
      throw new AppError(ErrorCode.INVALID_STATUS_TRANSITION, `Amendment ${id} was already decided (${amendment.status}).`, {
        entity: 'Amendment',
        from: amendment.status,
      });
    if (transferFrom !== null && (amendment.type !== 'AJOUT' || transferFrom === amendment.convention.structureId)) {
      throw new BadUserInputError('Posts are transferred into an AJOUT, from another structure.', 'input.transferFromStructureId');
    }
    if (input.givenOn < amendment.requestedOn) throw new BadUserInputError('The opinion cannot precede the request.', 'input.givenOn');
    amendment.prefectOpinion = input.opinion;
    amendment.prefectComment = comment;
    amendment.prefectOpinionOn = input.givenOn;
    amendment.transferFromStructureId = transferFrom;
    await tx.flush();
    return amendment;
  });
}

export interface AmendmentListArgs extends PageArgs {
  filter?: {
    type?: readonly AmendmentType[] | null;
    status?: readonly Amendment['status'][] | null;
    prefectOpinion?: readonly PrefectOpinion[] | null;
    awaitingPrefectOpinion?: boolean | null;
    departementCode?: string | null;
    regionCode?: string | null;
  } | null;
  orderBy?: { field: 'ID' | 'REQUESTED_ON'; direction?: Direction | null } | null;
}

/** Amendments for the admin and prefecture lists, those the viewer may read, by keyset (default: newest first, by id). */
export async function listAmendments(em: EntityManager, viewer: Viewer, { filter, orderBy, ...page }: AmendmentListArgs) {
  const where: FilterQuery<Amendment> = {};
  if (filter?.type?.length) where.type = { $in: [...filter.type] };
  if (filter?.status?.length) where.status = { $in: [...filter.status] };
  if (filter?.prefectOpinion?.length) where.prefectOpinion = { $in: [...filter.prefectOpinion] };
  if (filter?.awaitingPrefectOpinion != null) {
    if (filter.prefectOpinion?.length)
      throw new BadUserInputError('Filter on prefectOpinion or on awaitingPrefectOpinion, not both.', 'filter.awaitingPrefectOpinion');
    where.prefectOpinion = filter.awaitingPrefectOpinion ? null : { $ne: null };
  }
  if (filter?.departementCode) where.convention = { departementCode: filter.departementCode };
  if (filter?.regionCode) where.convention = { ...(where.convention as object), regionCode: filter.regionCode };
  const sort = sortOf<Amendment, NonNullable<typeof orderBy>['field']>(
    orderBy,
    { ID: (direction) => byId(direction), REQUESTED_ON: (direction) => byDate('requestedOn', direction) },
    { field: 'ID', direction: 'DESC' },
  );
  return keysetPage(em, Amendment, withFilter(where, visibleRows<Amendment>(em, viewer, 'child')), sort, page);
}
