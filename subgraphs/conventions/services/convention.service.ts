import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { AppError, BadUserInputError, ConflictError, ErrorCode, NotFoundError } from '../../../common/errors.js';
import { RecruitmentStructure } from '../../../common/events/copies.js';
import { byDate, byId, byNumber, keysetPage, sortOf, type Direction, type PageArgs } from '../../../common/pagination.js';
import { Convention, Post, Tranche } from '../entities/index.js';
import type { ConventionStatus, DsState, LegalCategory, Phase, TerminationKind } from '../entities/vocabulary.js';
import type { Viewer } from '../../../common/viewer.js';
import type { Step } from '../../../common/steps.js';
import { addDays, periodEnd, type IsoDate } from '../../../common/calendar.js';
import { assertRunning, fundPost, recompute, type PostKind } from '../rules/ledger.js';
import { assertConventionTransition, assertDsTransition, dsProcedure, signedStatus } from '../rules/status.js';
import { RENEWAL_MONTHS, trancheSchedule, type CoordinatorContract } from '../rules/subsidy.js';
import { checkLegalCategory, declineReason, openingMonths } from '../rules/validation.js';
import { inHand, step, visibleRows, withFilter } from './access.js';
import { lockStructurePosts, reconcileStructurePosts } from './contract.service.js';
import { givePostBack, lockConvention, lockKey, openBook } from './ledger.service.js';

export interface OpenConventionInput {
  structureId: number;
  phase: Phase;
  legalCategory: LegalCategory;
  dsNumber: number;
  dsCreatedAt?: Date | null;
  startDate: IsoDate;
  durationMonths?: number | null;
  advisorPosts: number;
  coordinatorPosts?: readonly CoordinatorContract[] | null;
  attributionDate: IsoDate;
}

/** Fails with a clear error when a DS file number is not a positive integer or is already used. */
async function assertFreeDsNumber(em: EntityManager, dsNumber: number, field: string): Promise<void> {
  if (!Number.isSafeInteger(dsNumber) || dsNumber < 1) throw new BadUserInputError('A DS file number is a positive integer.', field);
  if ((await em.count(Convention, { dsNumber })) > 0)
    throw new ConflictError(`DS file ${dsNumber} is already attached to an agreement.`, { field });
}

/** Agreements of a structure and phase that still fund (or will fund) posts: not refused, declined nor ended. */
const runningOf = (structureId: number, phase: Phase): FilterQuery<Convention> => ({
  structureId,
  phase,
  status: { $ne: 'NON_INTERESSE' },
  terminatedOn: null,
  $or: [{ dsState: { $in: ['en_construction', 'en_instruction', 'accepte'] } }, { dsState: null }],
});

/**
 * The structure as recruitment last announced it (the copy, common/events/copies.ts), within the viewer's reach
 * (located where recruitment says it is, not where a request says) and validated by the committee: NOT_FOUND,
 * FORBIDDEN or INVALID_STATUS_TRANSITION otherwise.
 */
async function validatedStructure({ tx, reach }: Step, structureId: number, subject: string): Promise<RecruitmentStructure> {
  const structure = await tx.findOne(RecruitmentStructure, structureId);
  if (!structure) throw new NotFoundError('Structure', structureId);
  reach(inHand(structure), subject);
  if (structure.status !== 'VALIDATION_COSELEC') {
    throw new AppError(
      ErrorCode.INVALID_STATUS_TRANSITION,
      `Structure ${structureId} is ${structure.status}: only a structure validated by the committee (VALIDATION_COSELEC) gets an agreement.`,
      { entity: 'Structure', from: structure.status, to: 'CONVENTIONNEMENT_EN_COURS' },
    );
  }
  return structure;
}

/**
 * Never more posts than granted: the advisor and coordinator posts asked, with those its running agreements of
 * the same phase fund already, stay within the structure's quota (BAD_USER_INPUT on the field asking too many).
 */
async function assertWithinQuota(
  em: EntityManager,
  structure: RecruitmentStructure,
  phase: Phase,
  asked: { advisors: number; coordinators: number },
  fields: { advisors: string; coordinators: string },
): Promise<void> {
  const funded = await em.find(
    Post,
    { convention: runningOf(structure.structureId, phase), state: { $ne: 'RENDU' } },
    { fields: ['typology'] },
  );
  const fundedOf = (typology: Post['typology']) => funded.filter((p) => p.typology === typology).length;
  const checks = [
    { asked: asked.advisors, granted: structure.advisorPosts, funded: fundedOf('CONSEILLER'), what: 'advisor', field: fields.advisors },
    {
      asked: asked.coordinators,
      granted: structure.coordinatorPosts,
      funded: fundedOf('COORDINATEUR'),
      what: 'coordinator',
      field: fields.coordinators,
    },
  ];
  for (const { asked: n, granted, funded: already, what, field } of checks) {
    if (n > granted - already) {
      throw new BadUserInputError(
        `Structure ${structure.structureId} was granted ${granted} ${what} posts, ${already} funded already: ${n} more is too many.`,
        field,
      );
    }
  }
}

/** The structure's facts an agreement keeps, as recruitment announced them (priority area: in a ZRR or a QPV). */
function structureFacts(structure: RecruitmentStructure) {
  return {
    sector: structure.sector,
    departementCode: structure.departementCode,
    regionCode: structure.regionCode,
    network: structure.network ?? null,
    priorityArea: structure.isZrr || structure.isQpv,
  };
}

/**
 * Opens an agreement: its DS file starts `en_construction`, the status is CONVENTIONNEMENT_EN_COURS and the
 * granted posts are listed vacant with their funding. The structure's sector, territory, network and priority area
 * come from recruitment (the copy), which must have validated it and granted the posts; the legal category must
 * agree with the sector. One agreement per structure and phase at a time: a new one can be opened only once the
 * previous file was refused or closed without follow-up.
 */
export function openConvention(em: EntityManager, viewer: Viewer, input: OpenConventionInput): Promise<Convention> {
  const { structureId } = input;
  return step(em, viewer, 'openConvention', async (context) => {
    const { tx } = context;
    const structure = await validatedStructure(context, structureId, `an agreement of structure ${structureId}`);
    checkLegalCategory(structure.sector, input.legalCategory, structureId);
    const months = openingMonths(input, structure.sector);
    await lockKey(tx, 'structureOpening', structureId);
    await assertFreeDsNumber(tx, input.dsNumber, 'input.dsNumber');
    const current = await tx.findOne(Convention, runningOf(structureId, input.phase));
    if (current) {
      throw new ConflictError(
        `Structure ${structureId} already has a ${input.phase === 'PHASE_1' ? 'phase-1' : 'phase-2'} agreement (${current.id}, ${current.status}).`,
        { field: 'input.structureId' },
      );
    }
    await assertWithinQuota(
      tx,
      structure,
      input.phase,
      { advisors: input.advisorPosts, coordinators: input.coordinatorPosts?.length ?? 0 },
      { advisors: 'input.advisorPosts', coordinators: 'input.coordinatorPosts' },
    );
    const createdAt = input.dsCreatedAt ?? new Date();
    const convention = tx.create(Convention, {
      structureId,
      phase: input.phase,
      status: 'CONVENTIONNEMENT_EN_COURS',
      ...structureFacts(structure),
      legalCategory: input.legalCategory,
      postsCount: 0,
      amountCents: 0,
      durationMonths: months,
      startDate: input.startDate,
      endDate: periodEnd(input.startDate, months),
      dsNumber: input.dsNumber,
      dsProcedure: dsProcedure('CONVENTIONNEMENT', input.legalCategory, input.advisorPosts === 0),
      dsState: 'en_construction',
      dsCreatedAt: createdAt,
      dsUpdatedAt: createdAt,
    });
    const kinds: PostKind[] = [
      ...Array.from({ length: input.advisorPosts }, () => ({ typology: 'CONSEILLER' as const, coordinatorContract: null })),
      ...(input.coordinatorPosts ?? []).map((contract) => ({ typology: 'COORDINATEUR' as const, coordinatorContract: contract })),
    ];
    const posts = kinds.map((kind) =>
      tx.create(Post, {
        convention,
        structureId,
        state: 'VACANT',
        attributionDate: input.attributionDate,
        ...kind,
        ...fundPost(convention, kind, input.startDate),
      }),
    );
    recompute({ convention, posts, tranches: [], contracts: [] });
    await tx.flush();
    return convention;
  });
}

export interface MoveDsFileInput {
  conventionId: number;
  state: DsState;
  /** When the file moved; default now. */
  at?: Date | null;
}

/** Moves the agreement's DS file to its next state, stamping the instruction and decision times. */
export function moveDsFile(em: EntityManager, viewer: Viewer, { conventionId, state, at: when }: MoveDsFileInput): Promise<Convention> {
  const at = when ?? new Date();
  return step(em, viewer, 'moveDsFile', async ({ tx, reach }) => {
    const convention = await lockConvention(tx, conventionId);
    reach(inHand(convention), `convention ${conventionId}`);
    if (!convention.dsState)
      throw new AppError(ErrorCode.INVALID_STATUS_TRANSITION, `Convention ${conventionId} has no DS file.`, { entity: 'DsFile' });
    assertDsTransition(convention.dsState, state);
    if (convention.dsUpdatedAt && at < convention.dsUpdatedAt)
      throw new BadUserInputError('The file cannot move before its last change.', 'input.at');
    convention.dsState = state;
    convention.dsUpdatedAt = at;
    if (state === 'en_instruction') convention.dsInstructionStartedAt = at;
    else convention.dsProcessedAt = at;
    await tx.flush();
    return convention;
  });
}

export interface SignConventionInput {
  conventionId: number;
  signedOn: IsoDate;
  /** First day covered; default the planned start. */
  startDate?: IsoDate | null;
}

/**
 * Signs an agreement whose DS file is accepted: the period starts (on `startDate`, default the planned start),
 * the posts' funding windows start with it, and the payment schedule is created. The structure's contracts that
 * waited for a post are received on its posts (services/contract.service.ts).
 */
export function signConvention(
  em: EntityManager,
  viewer: Viewer,
  { conventionId: id, signedOn, startDate }: SignConventionInput,
): Promise<Convention> {
  return step(em, viewer, 'signConvention', async ({ tx, reach }) => {
    const found = await tx.findOne(Convention, id, { fields: ['structureId'] });
    // Its posts take the structure's waiting contracts below: that lock comes before the agreement's.
    if (found) await lockStructurePosts(tx, found.structureId);
    const book = await openBook(tx, id);
    const { convention } = book;
    reach(inHand(convention), `convention ${id}`);
    const to = signedStatus(convention.status, convention.phase);
    assertConventionTransition(convention.status, to);
    if (convention.dsState !== 'accepte') {
      throw new AppError(
        ErrorCode.INVALID_STATUS_TRANSITION,
        `Convention ${id} cannot be signed: its DS file is ${convention.dsState ?? 'missing'}, not accepte.`,
        { entity: 'Convention', from: convention.status, to },
      );
    }
    const acceptedOn = convention.dsProcessedAt?.toISOString().slice(0, 10);
    if (acceptedOn && signedOn < acceptedOn)
      throw new BadUserInputError(`The agreement cannot be signed before its DS file was accepted (${acceptedOn}).`, 'input.signedOn');
    const start = startDate ?? convention.startDate;
    convention.status = to;
    convention.signedOn = signedOn;
    convention.startDate = start;
    convention.endDate = periodEnd(start, convention.durationMonths);
    for (const post of book.posts) Object.assign(post, fundPost(convention, post, start));
    book.tranches = trancheSchedule(start, convention.durationMonths, signedOn).map((t) =>
      tx.create(Tranche, { convention, ...t, amountCents: 0 }),
    );
    if (convention.previousConventionId) {
      // The phase-1 posts carried over are now renewed: their successors count from here on.
      const renewedIds = book.posts.map((p) => p.renewedFromId).filter((v): v is number => v != null);
      const previous = await tx.find(Post, { id: { $in: renewedIds } });
      for (const post of previous) post.renewed = true;
    }
    recompute(book);
    await tx.flush();
    await reconcileStructurePosts(tx, convention.structureId, signedOn);
    return convention;
  });
}

export interface RenewConventionInput {
  conventionId: number;
  dsNumber: number;
  dsCreatedAt?: Date | null;
  postIds?: readonly number[] | null;
  startDate?: IsoDate | null;
}

/** Finds the renewal (or refusal to renew) of a phase-1 agreement, if any. */
async function findRenewal(em: EntityManager, previous: Convention): Promise<Convention | null> {
  return em.findOne(Convention, {
    previousConventionId: previous.id,
    $or: [{ dsState: { $nin: ['refuse', 'sans_suite'] } }, { dsState: null }],
  });
}

function assertRenewable(previous: Convention): void {
  if (previous.phase !== 'PHASE_1' || previous.status !== 'CONVENTIONNEMENT_VALIDE') {
    throw new AppError(
      ErrorCode.INVALID_STATUS_TRANSITION,
      `Only a signed phase-1 agreement can be renewed; convention ${previous.id} is ${previous.phase} ${previous.status}.`,
      { entity: 'Convention', from: previous.status, to: 'RECONVENTIONNEMENT_INITIE' },
    );
  }
  if (previous.terminationKind === 'EARLY_EXIT') {
    throw new AppError(ErrorCode.INVALID_STATUS_TRANSITION, `Convention ${previous.id} was terminated early and cannot be renewed.`, {
      entity: 'Convention',
      from: 'TERMINATED',
      to: 'RECONVENTIONNEMENT_INITIE',
    });
  }
}

/**
 * Starts a renewal (*reconventionnement*): a phase-2 agreement RECONVENTIONNEMENT_INITIE with its DS file, carrying
 * over the posts kept (their advisors stay in post; new contracts are needed for the payments). As an opening, it
 * takes the structure's facts from recruitment (the copy: still validated, its territory, its priority area for the
 * bonification) and keeps no more posts than the structure's quota.
 */
export function renewConvention(em: EntityManager, viewer: Viewer, input: RenewConventionInput): Promise<Convention> {
  return step(em, viewer, 'renewConvention', async (context) => {
    const { tx, reach } = context;
    const book = await openBook(tx, input.conventionId);
    const previous = book.convention;
    reach(inHand(previous), `convention ${previous.id}`);
    const structure = await validatedStructure(context, previous.structureId, `a renewal of structure ${previous.structureId}`);
    assertRenewable(previous);
    const existing = await findRenewal(tx, previous);
    if (existing)
      throw new ConflictError(`Convention ${previous.id} already has a renewal (${existing.id}, ${existing.status}).`, {
        field: 'input.conventionId',
      });
    await assertFreeDsNumber(tx, input.dsNumber, 'input.dsNumber');
    const kept = input.postIds
      ? input.postIds.map((id) => {
          const post = book.posts.find((p) => p.id === id);
          if (!post || post.state === 'RENDU')
            throw new BadUserInputError(`Post ${id} is not a post of convention ${previous.id} still funded.`, 'input.postIds');
          return post;
        })
      : book.posts.filter((p) => p.state !== 'RENDU');
    if (kept.length === 0 || new Set(kept).size !== kept.length)
      throw new BadUserInputError('A renewal keeps one or more distinct posts.', 'input.postIds');
    const keptOf = (typology: Post['typology']) => kept.filter((p) => p.typology === typology).length;
    await assertWithinQuota(
      tx,
      structure,
      'PHASE_2',
      { advisors: keptOf('CONSEILLER'), coordinators: keptOf('COORDINATEUR') },
      { advisors: 'input.postIds', coordinators: 'input.postIds' },
    );
    const start = input.startDate ?? addDays(previous.endDate, 1);
    const createdAt = input.dsCreatedAt ?? new Date();
    const renewal = tx.create(Convention, {
      structureId: previous.structureId,
      phase: 'PHASE_2',
      status: 'RECONVENTIONNEMENT_INITIE',
      ...structureFacts(structure),
      legalCategory: previous.legalCategory,
      postsCount: 0,
      amountCents: 0,
      durationMonths: RENEWAL_MONTHS,
      startDate: start,
      endDate: periodEnd(start, RENEWAL_MONTHS),
      dsNumber: input.dsNumber,
      dsProcedure: dsProcedure('RECONVENTIONNEMENT', previous.legalCategory, false),
      dsState: 'en_construction',
      dsCreatedAt: createdAt,
      dsUpdatedAt: createdAt,
      previousConventionId: previous.id,
    });
    const posts = kept.map((old) =>
      tx.create(Post, {
        convention: renewal,
        structureId: previous.structureId,
        typology: old.typology,
        coordinatorContract: old.coordinatorContract ?? null,
        state: old.state,
        conseillerId: old.conseillerId ?? null,
        attributionDate: start,
        renewedFromId: old.id,
        ...fundPost(renewal, old, start),
      }),
    );
    recompute({ convention: renewal, posts, tranches: [], contracts: [] });
    await tx.flush();
    return renewal;
  });
}

export interface DeclineRenewalInput {
  conventionId: number;
  reason: string;
}

/**
 * The structure declines to renew (NON_INTERESSE, with its reason): from an initiated renewal (*etat=annuler*), or
 * straight from its signed phase-1 agreement, which records a phase-2 refusal with no DS file and no post.
 */
export function declineRenewal(em: EntityManager, viewer: Viewer, { conventionId, reason }: DeclineRenewalInput): Promise<Convention> {
  return step(em, viewer, 'declineRenewal', { check: () => declineReason(reason) }, async ({ tx, reach }, trimmed) => {
    const convention = await lockConvention(tx, conventionId);
    reach(inHand(convention), `convention ${conventionId}`);
    if (convention.status === 'RECONVENTIONNEMENT_INITIE') {
      assertConventionTransition(convention.status, 'NON_INTERESSE');
      convention.status = 'NON_INTERESSE';
      convention.declineReason = trimmed;
      await tx.flush();
      return convention;
    }
    assertRenewable(convention);
    const existing = await findRenewal(tx, convention);
    if (existing)
      throw new ConflictError(`Convention ${convention.id} already has a renewal (${existing.id}, ${existing.status}).`, {
        field: 'input.conventionId',
      });
    const start = addDays(convention.endDate, 1);
    const refusal = tx.create(Convention, {
      structureId: convention.structureId,
      phase: 'PHASE_2',
      status: 'NON_INTERESSE',
      sector: convention.sector,
      legalCategory: convention.legalCategory,
      departementCode: convention.departementCode,
      regionCode: convention.regionCode,
      priorityArea: convention.priorityArea,
      network: convention.network ?? null,
      postsCount: 0,
      amountCents: 0,
      durationMonths: RENEWAL_MONTHS,
      startDate: start,
      endDate: periodEnd(start, RENEWAL_MONTHS),
      previousConventionId: convention.id,
      declineReason: trimmed,
    });
    await tx.flush();
    return refusal;
  });
}

export interface TerminateConventionInput {
  conventionId: number;
  kind: TerminationKind;
  on: IsoDate;
}

/**
 * Ends a signed agreement. NATURAL_END, from its end date: its posts leave it with their whole funding. EARLY_EXIT,
 * before: each post still funded is cut to the months begun, overpayments become credit notes, and the tranches
 * of the years after the exit are blocked. `remainingOwedCents` then tells what the State still owes.
 */
export function terminateConvention(
  em: EntityManager,
  viewer: Viewer,
  { conventionId: id, kind, on }: TerminateConventionInput,
): Promise<Convention> {
  return step(em, viewer, 'terminateConvention', async ({ tx, reach }) => {
    const book = await openBook(tx, id);
    const { convention } = book;
    reach(inHand(convention), `convention ${id}`);
    assertRunning(convention, 'terminate it');
    if (kind === 'NATURAL_END' && on < convention.endDate) {
      throw new BadUserInputError(`Convention ${id} runs until ${convention.endDate}: use EARLY_EXIT to end it before.`, 'input.on');
    }
    if (kind === 'EARLY_EXIT' && (on >= convention.endDate || on < convention.startDate)) {
      throw new BadUserInputError(
        `An early exit falls within the agreement's period (${convention.startDate} – ${convention.endDate}).`,
        'input.on',
      );
    }
    const lastDay = kind === 'NATURAL_END' ? convention.endDate : on;
    for (const post of book.posts.filter((p) => p.state !== 'RENDU')) {
      givePostBack(tx, book, post, lastDay, kind === 'NATURAL_END' ? 'FIN_DE_CONVENTION' : 'RESILIATION', 'EARLY_TERMINATION');
    }
    convention.terminatedOn = lastDay;
    convention.terminationKind = kind;
    recompute(book);
    await tx.flush();
    return convention;
  });
}

export interface ConventionListArgs extends PageArgs {
  filter?: {
    structureId?: number | null;
    departementCode?: string | null;
    regionCode?: string | null;
    phase?: readonly Phase[] | null;
    status?: readonly ConventionStatus[] | null;
  } | null;
  orderBy?: { field: 'ID' | 'START_DATE' | 'END_DATE' | 'POSTS_COUNT'; direction?: Direction | null } | null;
}

/** Agreements for dashboards, those the viewer may read, by keyset (default: by id). */
export async function listConventions(em: EntityManager, viewer: Viewer, { filter, orderBy, ...page }: ConventionListArgs) {
  const where: FilterQuery<Convention> = {};
  if (filter?.structureId) where.structureId = filter.structureId;
  if (filter?.departementCode) where.departementCode = filter.departementCode;
  if (filter?.regionCode) where.regionCode = filter.regionCode;
  if (filter?.phase?.length) where.phase = { $in: [...filter.phase] };
  if (filter?.status?.length) where.status = { $in: [...filter.status] };
  const sort = sortOf<Convention, NonNullable<typeof orderBy>['field']>(
    orderBy,
    {
      ID: (direction) => byId(direction),
      START_DATE: (direction) => byDate('startDate', direction),
      END_DATE: (direction) => byDate('endDate', direction),
      POSTS_COUNT: (direction) => byNumber('postsCount', direction),
    },
    { field: 'ID', direction: 'ASC' },
  );
  return keysetPage(em, Convention, withFilter(where, visibleRows<Convention>(em, viewer, 'convention')), sort, page);
}
