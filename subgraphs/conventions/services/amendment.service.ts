import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { BadUserInputError } from '../../../common/errors.js';
import type { PostRequestDecided } from '../../../common/events/catalogue.js';
import { byDate, byId, keysetPage, sortOf, type Direction, type PageArgs } from '../../../common/pagination.js';
import { Amendment, Convention } from '../entities/index.js';
import { type AmendmentType, type PrefectOpinion } from '../entities/vocabulary.js';
import type { Viewer } from '../../../common/viewer.js';
import { recompute, type PostKind } from '../rules/ledger.js';
import { isReasonOf } from '../rules/validation.js';
import { visibleRows, withFilter } from './access.js';
import { lockStructurePosts, reconcileStructurePosts } from './contract.service.js';
import { addVacantPosts, givePostBack, openBook, runningAgreement, vacantPosts } from './ledger.service.js';

/**
 * The kind of post an amendment adds. Recruitment's event does not say a coordinator's contract type: coordinator
 * posts are funded as CDD (32,000 €, the lower published amount) until it does.
 */
function addedKind(coordinator: boolean): PostKind {
  return coordinator ? { typology: 'COORDINATEUR', coordinatorContract: 'CDD' } : { typology: 'CONSEILLER', coordinatorContract: null };
}

/**
 * Records a post request decided in recruitment as an amendment of the structure's agreement, and applies it when
 * accepted to its running signed agreement of that phase on the decision day (docs/domain.md §2.4): AJOUT funds
 * the posts granted, vacant, for the months left (the amount grows by their published subsidy); RETRAIT gives
 * vacant posts back (funding cut to the months used, credit notes for overpayments). Without such an agreement the
 * amendment is recorded unapplied (`applied` false): the quota copy changed all the same, and the next opening or
 * renewal is bounded by it. Called by the consumer, in its transaction; a request already recorded changes nothing.
 */
export async function recordPostRequest(tx: EntityManager, decided: PostRequestDecided): Promise<Amendment> {
  const known = await tx.findOne(Amendment, { postRequestId: decided.postRequestId });
  if (known) return known;
  if (!isReasonOf(decided.type, decided.reason))
    throw new Error(`Post request ${decided.postRequestId}: ${decided.reason} is not a reason of a ${decided.type}.`);
  // The structure's placement lock before its agreement's, the order every step of its posts takes them in.
  await lockStructurePosts(tx, decided.structureId);
  const runningId = decided.accepted ? await runningAgreement(tx, decided.structureId, decided.decidedOn, decided.phase) : null;
  const book = runningId ? await openBook(tx, runningId) : null;
  const ajout = decided.type === 'AJOUT';
  const kind = addedKind(decided.coordinator);
  const granted = ajout && decided.accepted ? (decided.postsGranted ?? decided.postsRequested) : null;
  let givenBack: number[] | null = null;
  if (book) {
    if (granted !== null) addVacantPosts(tx, book, kind, granted, decided.decidedOn);
    else {
      const posts = vacantPosts(book, decided.coordinator, decided.postsRequested);
      for (const post of posts) givePostBack(tx, book, post, decided.decidedOn, 'AVENANT_RETRAIT', 'POST_GIVEN_BACK');
      givenBack = posts.map((p) => p.id);
    }
    recompute(book);
  }
  const convention =
    book?.convention ??
    (await tx.findOne(Convention, { structureId: decided.structureId, phase: decided.phase }, { orderBy: { id: 'desc' } }));
  const amendment = tx.create(Amendment, {
    postRequestId: decided.postRequestId,
    structureId: decided.structureId,
    phase: decided.phase,
    convention,
    applied: book != null,
    type: decided.type,
    status: decided.accepted ? 'VALIDEE' : 'REFUSEE',
    coordinator: decided.coordinator,
    coordinatorContract: ajout ? kind.coordinatorContract : null,
    reason: decided.reason,
    reasonDetail: decided.reasonDetail?.trim() || null,
    postsBefore: decided.postsBefore,
    postsRequested: decided.postsRequested,
    postsGranted: granted,
    givenBackPostIds: givenBack,
    prefectOpinion: decided.prefectOpinion,
    requestedOn: decided.requestedOn,
    decidedOn: decided.decidedOn,
  });
  await tx.flush();
  // Posts just funded take the contracts that were waiting for one.
  if (book && granted !== null) await reconcileStructurePosts(tx, decided.structureId, decided.decidedOn);
  return amendment;
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
