import { parseId } from '../../../common/ids.js';
import { applyCandidate, deleteCandidate, matchCandidates, setCandidateAvailability } from '../services/conseiller.service.js';
import {
  cancelRecruitment,
  cancelRupture,
  declareRupture,
  endContract,
  flagRuptureMissingDocuments,
  preselectCandidate,
  reconsiderCandidate,
  recruitCandidate,
  rejectCandidate,
  renewContract,
  requestContractExtension,
  validateContractExtension,
  validateRecruitment,
  validateRenewal,
  validateRupture,
} from '../services/mise-en-relation.service.js';
import {
  decideCoordinatorRequest,
  decidePostRequest,
  giveBackPosts,
  giveCoordinatorRequestOpinion,
  givePostRequestOpinion,
  requestCoordinatorPost,
  requestPosts,
  setCoordination,
  transferPosts,
} from '../services/posts.service.js';
import { applyStructure, closeStructureApplication, givePrefectOpinion, recordCoselecDecision } from '../services/structure.service.js';
import type { MutationResolvers } from '../types.generated.js';
import { parseOptionalId } from './shape.js';

/**
 * Each mutation: parse ids, call one transactional service with the request's viewer (who may act, and who is
 * recorded as having acted), wrap the result in its payload.
 */
const merAction = (input: { miseEnRelationId: string }) => ({
  miseEnRelationId: parseId(input.miseEnRelationId, 'input.miseEnRelationId'),
});
const structureId = (id: string, field = 'input.structureId') => parseId(id, field);

export const Mutation: MutationResolvers = {
  applyStructure: async (_p, { input }, { em, viewer }) => ({ structure: await applyStructure(em, viewer, input) }),
  givePrefectOpinionOnApplication: async (_p, { input }, { em, viewer }) => ({
    structure: await givePrefectOpinion(em, viewer, {
      ...input,
      structureId: structureId(input.structureId),
      transferFromStructureId: parseOptionalId(input.transferFromStructureId, 'input.transferFromStructureId'),
    }),
  }),
  recordCoselecDecision: async (_p, { input }, { em, viewer }) => ({
    structure: await recordCoselecDecision(em, viewer, { ...input, structureId: structureId(input.structureId) }),
  }),
  closeStructureApplication: async (_p, { input }, { em, viewer }) => ({
    structure: await closeStructureApplication(em, viewer, { structureId: structureId(input.structureId), status: input.status }),
  }),

  requestPosts: async (_p, { input }, { em, viewer }) => {
    const postRequest = await requestPosts(em, viewer, { ...input, structureId: structureId(input.structureId) });
    return { postRequest, structure: postRequest.structure };
  },
  giveBackPosts: async (_p, { input }, { em, viewer }) => {
    const postRequest = await giveBackPosts(em, viewer, { ...input, structureId: structureId(input.structureId) });
    return { postRequest, structure: postRequest.structure };
  },
  givePostRequestOpinion: async (_p, { input }, { em, viewer }) => {
    const postRequest = await givePostRequestOpinion(em, viewer, {
      ...input,
      postRequestId: parseId(input.postRequestId, 'input.postRequestId'),
      transferFromStructureId: parseOptionalId(input.transferFromStructureId, 'input.transferFromStructureId'),
    });
    return { postRequest, structure: postRequest.structure };
  },
  decidePostRequest: async (_p, { input }, { em, viewer }) => {
    const postRequest = await decidePostRequest(em, viewer, {
      ...input,
      postRequestId: parseId(input.postRequestId, 'input.postRequestId'),
    });
    return { postRequest, structure: postRequest.structure };
  },
  transferPosts: async (_p, { input }, { em, viewer }) => ({
    transfer: await transferPosts(em, viewer, {
      ...input,
      fromStructureId: structureId(input.fromStructureId, 'input.fromStructureId'),
      toStructureId: structureId(input.toStructureId, 'input.toStructureId'),
    }),
  }),

  requestCoordinatorPost: async (_p, { input }, { em, viewer }) => {
    const coordinatorRequest = await requestCoordinatorPost(em, viewer, { ...input, structureId: structureId(input.structureId) });
    return { coordinatorRequest, structure: coordinatorRequest.structure };
  },
  giveCoordinatorRequestOpinion: async (_p, { input }, { em, viewer }) => {
    const coordinatorRequest = await giveCoordinatorRequestOpinion(em, viewer, {
      ...input,
      coordinatorRequestId: parseId(input.coordinatorRequestId, 'input.coordinatorRequestId'),
    });
    return { coordinatorRequest, structure: coordinatorRequest.structure };
  },
  decideCoordinatorRequest: async (_p, { input }, { em, viewer }) => {
    const coordinatorRequest = await decideCoordinatorRequest(em, viewer, {
      ...input,
      coordinatorRequestId: parseId(input.coordinatorRequestId, 'input.coordinatorRequestId'),
    });
    return { coordinatorRequest, structure: coordinatorRequest.structure };
  },
  setCoordination: async (_p, { input }, { em, viewer }) => ({
    conseiller: await setCoordination(em, viewer, { ...input, conseillerId: parseId(input.conseillerId, 'input.conseillerId') }),
  }),

  matchCandidates: (_p, { input }, { em, viewer }) => matchCandidates(em, viewer, { structureId: structureId(input.structureId) }),
  applyCandidate: async (_p, { input }, { em, viewer }) => ({ conseiller: await applyCandidate(em, viewer, input) }),
  deleteCandidate: async (_p, { input }, { em, viewer }) => {
    const deletion = await deleteCandidate(em, viewer, { ...input, conseillerId: parseId(input.conseillerId, 'input.conseillerId') });
    return { conseillerId: String(deletion.conseillerId), reason: deletion.reason, deletedAt: deletion.deletedAt };
  },
  setCandidateAvailability: async (_p, { input }, { em, viewer }) => ({
    conseiller: await setCandidateAvailability(em, viewer, { ...input, conseillerId: parseId(input.conseillerId, 'input.conseillerId') }),
  }),

  preselectCandidate: async (_p, { input }, { em, viewer }) => ({
    miseEnRelation: await preselectCandidate(em, viewer, {
      structureId: structureId(input.structureId),
      conseillerId: parseId(input.conseillerId, 'input.conseillerId'),
    }),
  }),
  rejectCandidate: async (_p, { input }, { em, viewer }) => ({
    miseEnRelation: await rejectCandidate(em, viewer, merAction(input)),
  }),
  reconsiderCandidate: async (_p, { input }, { em, viewer }) => ({
    miseEnRelation: await reconsiderCandidate(em, viewer, merAction(input)),
  }),
  recruitCandidate: async (_p, { input }, { em, viewer }) => ({
    miseEnRelation: await recruitCandidate(em, viewer, {
      ...merAction(input),
      contract: input.contract,
      isCoordinatorContract: input.isCoordinatorContract,
    }),
  }),
  validateRecruitment: async (_p, { input }, { em, viewer }) => ({
    miseEnRelation: await validateRecruitment(em, viewer, merAction(input)),
  }),
  cancelRecruitment: async (_p, { input }, { em, viewer }) => ({ miseEnRelation: await cancelRecruitment(em, viewer, merAction(input)) }),
  declareRupture: async (_p, { input }, { em, viewer }) => ({
    miseEnRelation: await declareRupture(em, viewer, { ...merAction(input), date: input.date, reason: input.reason }),
  }),
  flagRuptureMissingDocuments: async (_p, { input }, { em, viewer }) => ({
    miseEnRelation: await flagRuptureMissingDocuments(em, viewer, { ...merAction(input), missingDocuments: input.missingDocuments }),
  }),
  validateRupture: async (_p, { input }, { em, viewer }) => ({ miseEnRelation: await validateRupture(em, viewer, merAction(input)) }),
  cancelRupture: async (_p, { input }, { em, viewer }) => ({ miseEnRelation: await cancelRupture(em, viewer, merAction(input)) }),
  requestContractExtension: async (_p, { input }, { em, viewer }) => ({
    miseEnRelation: await requestContractExtension(em, viewer, {
      ...merAction(input),
      requestedEndDate: input.requestedEndDate,
      requestedSalaryCents: input.requestedSalaryCents,
    }),
  }),
  validateContractExtension: async (_p, { input }, { em, viewer }) => ({
    miseEnRelation: await validateContractExtension(em, viewer, merAction(input)),
  }),
  renewContract: async (_p, { input }, { em, viewer }) => ({
    miseEnRelation: await renewContract(em, viewer, { ...merAction(input), contract: input.contract }),
  }),
  validateRenewal: async (_p, { input }, { em, viewer }) => ({ miseEnRelation: await validateRenewal(em, viewer, merAction(input)) }),
  endContract: async (_p, { input }, { em, viewer }) => ({ miseEnRelation: await endContract(em, viewer, merAction(input)) }),
};
