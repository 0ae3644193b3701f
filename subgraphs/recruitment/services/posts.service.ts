import type { EntityManager } from '@mikro-orm/postgresql';
import { today } from '../../../common/calendar.js';
import { postRequestDecided, postsTransferred, structureDecided } from '../../../common/events/catalogue.js';
import { BadUserInputError, ConflictError, NotFoundError, QuotaExceededError } from '../../../common/errors.js';
import type { Viewer } from '../../../common/viewer.js';
import { Conseiller, CoordinatorRequest, PostRequest, PostTransfer, Structure } from '../entities/index.js';
import { ADD_REASONS, GIVE_BACK_REASONS, type Opinion, type PostRequestReason } from '../entities/vocabulary.js';
import { geographyCodeExists } from '../rules/geography.js';
import { moveStructure, requireValidated } from '../rules/structure.js';
import { optionalText, requireComment, requireCount } from '../rules/validation.js';
import { actorOf, reachStructure, step, type RecruitmentStep } from './access.js';
import { announceStructure, postRequestDecisionOf } from './events.js';
import { appendDecision, currentPhase, lockStructures, occupiedPosts } from './quota.js';
import { optionalOtherStructure } from './structure.service.js';

/** Post changes (docs/domain.md §2.4) and coordinator posts (§2.6). */

async function requireNoPendingPostRequest(tx: EntityManager, structureId: number): Promise<void> {
  if (await tx.count(PostRequest, { structure: structureId, status: 'EN_COURS' })) {
    throw new ConflictError(`Structure ${structureId} already has a post request waiting for a decision.`);
  }
}

async function requireVacant(tx: EntityManager, structure: Structure, posts: number): Promise<void> {
  const vacant = structure.postQuota - (await occupiedPosts(tx, structure.id));
  if (posts > vacant) {
    throw new QuotaExceededError(`Structure ${structure.id} has ${vacant} vacant posts: it cannot give up ${posts}.`, {
      structureId: String(structure.id),
      vacant,
    });
  }
}

export async function requestPosts(
  em: EntityManager,
  viewer: Viewer,
  input: { structureId: number; posts: number; reason: PostRequestReason; otherReason?: string | null },
): Promise<PostRequest> {
  const check = () => {
    const posts = requireCount(input.posts, 'posts', { max: 100 });
    if (!(input.reason in ADD_REASONS))
      throw new BadUserInputError(`${input.reason} is a reason to hand posts back, not to ask for more.`, 'reason');
    const otherReason = optionalText(input.otherReason, 'otherReason', 1000);
    if (input.reason === 'AUTRE' && !otherReason) throw new BadUserInputError('Give the reason when it is AUTRE.', 'otherReason');
    return { posts, otherReason };
  };
  return step(em, viewer, 'requestPosts', { check }, async (s, { posts, otherReason }) => {
    const { tx } = s;
    const structure = await s.lock(Structure, input.structureId);
    reachStructure(s, structure);
    requireValidated(structure, 'ask for posts');
    await requireNoPendingPostRequest(tx, structure.id);
    return tx.create(PostRequest, {
      structure,
      type: 'AJOUT',
      status: 'EN_COURS',
      postsBefore: structure.postQuota,
      postsRequested: posts,
      reason: input.reason,
      otherReason: input.reason === 'AUTRE' ? otherReason : null,
      phase: await currentPhase(tx, structure.id),
      requestedBy: actorOf(viewer),
    });
  });
}

export async function giveBackPosts(
  em: EntityManager,
  viewer: Viewer,
  input: { structureId: number; posts: number; reason: PostRequestReason; isCoordinatorPost?: boolean | null },
): Promise<PostRequest> {
  const check = () => {
    const posts = requireCount(input.posts, 'posts', { max: input.isCoordinatorPost ? 1 : 500 });
    if (!(input.reason in GIVE_BACK_REASONS))
      throw new BadUserInputError(`${input.reason} is a reason to ask for posts, not to hand them back.`, 'reason');
    return posts;
  };
  return step(em, viewer, 'giveBackPosts', { check }, async (s, posts) => {
    const { tx } = s;
    const structure = await s.lock(Structure, input.structureId);
    reachStructure(s, structure);
    requireValidated(structure, 'hand posts back');
    await requireNoPendingPostRequest(tx, structure.id);
    await requireVacant(tx, structure, posts);
    if (input.isCoordinatorPost) await requireVacantCoordinatorPost(tx, structure);
    return tx.create(PostRequest, {
      structure,
      type: 'RETRAIT',
      status: 'EN_COURS',
      isCoordinatorPost: input.isCoordinatorPost ?? false,
      postsBefore: structure.postQuota,
      postsRequested: posts,
      reason: input.reason,
      phase: await currentPhase(tx, structure.id),
      requestedBy: actorOf(viewer),
    });
  });
}

/** A coordinator post is handed back only when one was granted and no coordinator contract holds it. */
async function requireVacantCoordinatorPost(tx: EntityManager, structure: Structure): Promise<CoordinatorRequest> {
  const granted = await tx.findOne(
    CoordinatorRequest,
    { structure: structure.id, status: 'VALIDEE', isGivenBack: false },
    { orderBy: { id: 'desc' } },
  );
  if (!granted) throw new ConflictError(`Structure ${structure.id} holds no coordinator post.`);
  const [posts, held] = await Promise.all([coordinatorPosts(tx, structure.id), occupiedPosts(tx, structure.id, { coordinatorOnly: true })]);
  if (held >= posts)
    throw new QuotaExceededError(`The coordinator post of structure ${structure.id} is held by a contract.`, {
      structureId: String(structure.id),
    });
  return granted;
}

/** A request waiting for a decision, locked after its structure and read afresh. */
async function pendingPostRequest({ tx, lock }: RecruitmentStep, id: number): Promise<PostRequest> {
  const found = await tx.findOne(PostRequest, id, { fields: ['structure'] });
  if (!found) throw new NotFoundError('PostRequest', id);
  await lock(Structure, found.structure.id);
  const request = await lock(PostRequest, id);
  if (request.status !== 'EN_COURS') throw new ConflictError(`Post request ${id} is already ${request.status}.`);
  return request;
}

export async function givePostRequestOpinion(
  em: EntityManager,
  viewer: Viewer,
  input: { postRequestId: number; opinion: Opinion; comment: string; transferFromStructureId?: number | null },
): Promise<PostRequest> {
  return step(em, viewer, 'givePostRequestOpinion', { check: () => requireComment(input.comment, 'comment') }, async (s, comment) => {
    const { tx } = s;
    const request = await pendingPostRequest(s, input.postRequestId);
    reachStructure(s, request.structure);
    request.transferFrom = await optionalOtherStructure(tx, input.transferFromStructureId, request.structure.id, 'transferFromStructureId');
    request.prefectOpinion = input.opinion;
    request.prefectComment = comment;
    request.prefectAuthor = actorOf(viewer);
    request.prefectOpinionAt = new Date();
    return request;
  });
}

/**
 * The administrator's decision. Accepting writes a committee decision with the new quota: more posts for an
 * AJOUT; fewer for a RETRAIT (still no fewer than the posts held), and a structure left with none is `ABANDON`.
 */
export async function decidePostRequest(
  em: EntityManager,
  viewer: Viewer,
  input: { postRequestId: number; accept: boolean; postsGranted?: number | null },
): Promise<PostRequest> {
  return step(em, viewer, 'decidePostRequest', async (s) => {
    const { tx } = s;
    const request = await pendingPostRequest(s, input.postRequestId);
    const structure = request.structure;
    request.decidedBy = actorOf(viewer);
    request.decidedAt = new Date();
    if (!input.accept) {
      request.status = 'REFUSEE';
      s.emit(postRequestDecided, request.id, postRequestDecisionOf(request));
      return request;
    }
    requireValidated(structure, 'change its posts');
    const decision = { opinion: 'POSITIF' as const, phase: request.phase, validator: actorOf(viewer) };
    if (request.type === 'AJOUT') {
      const granted = requireCount(input.postsGranted ?? request.postsRequested, 'postsGranted', { max: request.postsRequested });
      request.postsGranted = granted;
      await appendDecision(
        tx,
        structure,
        { ...decision, postsGranted: structure.postQuota + granted, type: request.isCoordinatorPost ? 'COORDINATEUR' : 'CONSEILLER' },
        'VALIDATION_COSELEC',
      );
    } else {
      await requireVacant(tx, structure, request.postsRequested);
      if (request.isCoordinatorPost) (await requireVacantCoordinatorPost(tx, structure)).isGivenBack = true;
      const quota = structure.postQuota - request.postsRequested;
      await appendDecision(
        tx,
        structure,
        { ...decision, postsGranted: quota, type: request.isCoordinatorPost ? 'COORDINATEUR_RENDU' : 'CONSEILLER' },
        quota > 0 ? 'VALIDATION_COSELEC' : 'ABANDON',
      );
    }
    request.status = 'VALIDEE';
    s.emit(postRequestDecided, request.id, postRequestDecisionOf(request));
    await announceStructure(s, structureDecided, structure);
    return request;
  });
}

/** Moves vacant posts to another structure: one committee decision on each side. */
export async function transferPosts(
  em: EntityManager,
  viewer: Viewer,
  input: { fromStructureId: number; toStructureId: number; posts: number },
): Promise<PostTransfer> {
  const check = () => {
    const posts = requireCount(input.posts, 'posts', { max: 500 });
    if (input.fromStructureId === input.toStructureId)
      throw new BadUserInputError('Posts move between two different structures.', 'toStructureId');
    return posts;
  };
  return step(em, viewer, 'transferPosts', { check }, async (s, posts) => {
    const { tx } = s;
    const [from, to] = await lockStructures(s, input.fromStructureId, input.toStructureId);
    requireValidated(from, 'transfer posts');
    await requireVacant(tx, from, posts);
    const phase = await currentPhase(tx, from.id);
    const remaining = from.postQuota - posts;
    const decision = { opinion: 'POSITIF' as const, phase, validator: actorOf(viewer), observations: null };
    await appendDecision(
      tx,
      from,
      { ...decision, postsGranted: remaining, observations: `Transfert de ${posts} poste(s) vers la structure ${to.id}` },
      remaining > 0 ? 'VALIDATION_COSELEC' : 'ABANDON',
    );
    await appendDecision(
      tx,
      to,
      { ...decision, postsGranted: to.postQuota + posts, observations: `Transfert de ${posts} poste(s) depuis la structure ${from.id}` },
      'VALIDATION_COSELEC',
    );
    const transfer = tx.create(PostTransfer, { fromStructure: from, toStructure: to, posts, actor: actorOf(viewer) });
    await tx.flush();
    s.emit(postsTransferred, transfer.id, { transferId: transfer.id, fromStructureId: from.id, toStructureId: to.id, posts, on: today() });
    await announceStructure(s, structureDecided, from);
    await announceStructure(s, structureDecided, to);
    return transfer;
  });
}

export async function requestCoordinatorPost(
  em: EntityManager,
  viewer: Viewer,
  input: { structureId: number; dossierNumber?: number | null },
): Promise<CoordinatorRequest> {
  const check = () => {
    if (input.dossierNumber != null) requireCount(input.dossierNumber, 'dossierNumber', { max: 2_000_000_000 });
  };
  return step(em, viewer, 'requestCoordinatorPost', { check }, async (s) => {
    const { tx } = s;
    const structure = await s.lock(Structure, input.structureId);
    reachStructure(s, structure);
    if (!['CREEE', 'EXAMEN_COMPLEMENTAIRE_COSELEC', 'VALIDATION_COSELEC'].includes(structure.status)) {
      throw new ConflictError(`Structure ${structure.id} is ${structure.status}: it cannot ask for a coordinator post.`);
    }
    if (await tx.count(CoordinatorRequest, { structure: structure.id, status: 'EN_COURS' })) {
      throw new ConflictError(`Structure ${structure.id} already has a coordinator request waiting for a decision.`);
    }
    return tx.create(CoordinatorRequest, {
      structure,
      status: 'EN_COURS',
      dossierNumber: input.dossierNumber ?? null,
      requestedBy: actorOf(viewer),
    });
  });
}

async function pendingCoordinatorRequest({ tx, lock }: RecruitmentStep, id: number): Promise<CoordinatorRequest> {
  const found = await tx.findOne(CoordinatorRequest, id, { fields: ['structure'] });
  if (!found) throw new NotFoundError('CoordinatorRequest', id);
  await lock(Structure, found.structure.id);
  const request = await lock(CoordinatorRequest, id);
  if (request.status !== 'EN_COURS') throw new ConflictError(`Coordinator request ${id} is already ${request.status}.`);
  return request;
}

export async function giveCoordinatorRequestOpinion(
  em: EntityManager,
  viewer: Viewer,
  input: { coordinatorRequestId: number; opinion: Opinion; comment: string },
): Promise<CoordinatorRequest> {
  const check = () => requireComment(input.comment, 'comment');
  return step(em, viewer, 'giveCoordinatorRequestOpinion', { check }, async (s, comment) => {
    const request = await pendingCoordinatorRequest(s, input.coordinatorRequestId);
    reachStructure(s, request.structure);
    request.prefectOpinion = input.opinion;
    request.prefectComment = comment;
    request.prefectAuthor = actorOf(viewer);
    request.prefectOpinionAt = new Date();
    return request;
  });
}

/**
 * Accepting grants one more post, of type COORDINATEUR (an undecided structure becomes validated); refusing a
 * structure that applied only for a coordinator leaves it `REFUS_COORDINATEUR`.
 */
export async function decideCoordinatorRequest(
  em: EntityManager,
  viewer: Viewer,
  input: { coordinatorRequestId: number; accept: boolean },
): Promise<CoordinatorRequest> {
  return step(em, viewer, 'decideCoordinatorRequest', async (s) => {
    const { tx } = s;
    const request = await pendingCoordinatorRequest(s, input.coordinatorRequestId);
    const structure = request.structure;
    const statusBefore = structure.status;
    request.decidedBy = actorOf(viewer);
    request.decidedAt = new Date();
    if (input.accept) {
      request.status = 'VALIDEE';
      await appendDecision(
        tx,
        structure,
        {
          opinion: 'POSITIF',
          postsGranted: structure.postQuota + 1,
          type: 'COORDINATEUR',
          phase: await currentPhase(tx, structure.id),
          validator: actorOf(viewer),
        },
        'VALIDATION_COSELEC',
      );
    } else {
      request.status = 'REFUSEE';
      if (structure.isCoordinatorApplication && structure.status === 'CREEE' && structure.postQuota === 0)
        moveStructure(structure, 'REFUS_COORDINATEUR');
    }
    // A refusal changes the structure only when it ends a coordinator-only application.
    if (input.accept || structure.status !== statusBefore) await announceStructure(s, structureDecided, structure);
    return request;
  });
}

/** Coordinator posts a structure may fill: validated coordinator requests not handed back. */
export function coordinatorPosts(tx: EntityManager, structureId: number): Promise<number> {
  return tx.count(CoordinatorRequest, { structure: structureId, status: 'VALIDEE', isGivenBack: false });
}

/** Who a coordinator coordinates: advisor ids, or real commune/département/région codes. */
export async function setCoordination(
  em: EntityManager,
  viewer: Viewer,
  input: { conseillerId: number; scope: 'CONSEILLERS' | 'COMMUNES' | 'DEPARTEMENTS' | 'REGIONS'; items: readonly string[] },
): Promise<Conseiller> {
  const check = () => {
    const items = [...new Set(input.items.map((i) => i.trim()))];
    if (items.length === 0 || items.length > 500) throw new BadUserInputError('Give 1 to 500 items.', 'items');
    return items;
  };
  return step(em, viewer, 'setCoordination', { check }, async (s, items) => {
    const { tx } = s;
    const coordinator = await s.lock(Conseiller, input.conseillerId);
    // A structure sets the scope of its own coordinator only.
    s.reach({ structure: coordinator.structure?.id ?? null }, `conseiller ${coordinator.id}`, 'not an advisor of your structure');
    if (!coordinator.isCoordinator) throw new ConflictError(`Conseiller ${coordinator.id} is not a coordinator.`);
    if (input.scope === 'CONSEILLERS') {
      const ids = items.map(Number);
      if (ids.some((id) => !Number.isSafeInteger(id) || id < 1)) throw new BadUserInputError('Advisor ids are positive integers.', 'items');
      const found = await tx.find(Conseiller, { id: { $in: ids } }, { fields: ['id'] });
      const missing = ids.filter((id) => !found.some((c) => c.id === id));
      if (missing.length) throw new BadUserInputError(`No advisor has id ${missing.join(', ')}.`, 'items');
    } else {
      const scope = input.scope;
      const unknown = items.filter((code) => !geographyCodeExists(scope, code));
      if (unknown.length) throw new BadUserInputError(`Unknown ${input.scope.toLowerCase()} code(s): ${unknown.join(', ')}.`, 'items');
    }
    coordinator.coordinationScope = input.scope;
    coordinator.coordinatedItems = items;
    return coordinator;
  });
}
