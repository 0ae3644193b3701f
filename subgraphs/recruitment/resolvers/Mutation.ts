import { parseId } from '../../common/ids.js';
import { applyCandidate, deleteCandidate, matchCandidates, setCandidateAvailability } from '../services/conseiller.service.js';
import {
  cancelRecruitment,
  cancelRupture,
  declareRupture,
  endContract,
  flagRuptureMissingDocuments,
  moveCandidate,
  preselectCandidate,
  recruitCandidate,
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

/** Each mutation: parse ids, call one transactional service, wrap the result in its payload. */
const merAction = (input: { miseEnRelationId: string; actor?: string | null }) => ({
  miseEnRelationId: parseId(input.miseEnRelationId, 'input.miseEnRelationId'),
  actor: input.actor,
});
const structureId = (id: string, field = 'input.structureId') => parseId(id, field);

export const Mutation: MutationResolvers = {
  applyStructure: async (_p, { input }, { em }) => ({ structure: await applyStructure(em, input) }),
  givePrefectOpinionOnApplication: async (_p, { input }, { em }) => ({
    structure: await givePrefectOpinion(em, {
      ...input,
      structureId: structureId(input.structureId),
      transferFromStructureId: parseOptionalId(input.transferFromStructureId, 'input.transferFromStructureId'),
    }),
  }),
  recordCoselecDecision: async (_p, { input }, { em }) => ({ structure: await recordCoselecDecision(em, { ...input, structureId: structureId(input.structureId) }) }),
  closeStructureApplication: async (_p, { input }, { em }) => ({ structure: await closeStructureApplication(em, structureId(input.structureId), input.status) }),

  requestPosts: async (_p, { input }, { em }) => {
    const postRequest = await requestPosts(em, { ...input, structureId: structureId(input.structureId) });
    return { postRequest, structure: postRequest.structure };
  },
  giveBackPosts: async (_p, { input }, { em }) => {
    const postRequest = await giveBackPosts(em, { ...input, structureId: structureId(input.structureId) });
    return { postRequest, structure: postRequest.structure };
  },
  givePostRequestOpinion: async (_p, { input }, { em }) => {
    const postRequest = await givePostRequestOpinion(em, {
      ...input,
      postRequestId: parseId(input.postRequestId, 'input.postRequestId'),
      transferFromStructureId: parseOptionalId(input.transferFromStructureId, 'input.transferFromStructureId'),
    });
    return { postRequest, structure: postRequest.structure };
  },
  decidePostRequest: async (_p, { input }, { em }) => {
    const postRequest = await decidePostRequest(em, { ...input, postRequestId: parseId(input.postRequestId, 'input.postRequestId') });
    return { postRequest, structure: postRequest.structure };
  },
  transferPosts: async (_p, { input }, { em }) => ({
    transfer: await transferPosts(em, {
      ...input,
      fromStructureId: structureId(input.fromStructureId, 'input.fromStructureId'),
      toStructureId: structureId(input.toStructureId, 'input.toStructureId'),
    }),
  }),

  requestCoordinatorPost: async (_p, { input }, { em }) => {
    const coordinatorRequest = await requestCoordinatorPost(em, { ...input, structureId: structureId(input.structureId) });
    return { coordinatorRequest, structure: coordinatorRequest.structure };
  },
  giveCoordinatorRequestOpinion: async (_p, { input }, { em }) => {
    const coordinatorRequest = await giveCoordinatorRequestOpinion(em, { ...input, coordinatorRequestId: parseId(input.coordinatorRequestId, 'input.coordinatorRequestId') });
    return { coordinatorRequest, structure: coordinatorRequest.structure };
  },
  decideCoordinatorRequest: async (_p, { input }, { em }) => {
    const coordinatorRequest = await decideCoordinatorRequest(em, { ...input, coordinatorRequestId: parseId(input.coordinatorRequestId, 'input.coordinatorRequestId') });
    return { coordinatorRequest, structure: coordinatorRequest.structure };
  },
  setCoordination: async (_p, { input }, { em }) => ({
    conseiller: await setCoordination(em, { ...input, conseillerId: parseId(input.conseillerId, 'input.conseillerId') }),
  }),

  matchCandidates: (_p, { input }, { em }) => matchCandidates(em, { structureId: structureId(input.structureId), actor: input.actor }),
  applyCandidate: async (_p, { input }, { em }) => ({ conseiller: await applyCandidate(em, input) }),
  deleteCandidate: async (_p, { input }, { em }) => {
    const deletion = await deleteCandidate(em, { ...input, conseillerId: parseId(input.conseillerId, 'input.conseillerId') });
    return { conseillerId: String(deletion.conseillerId), reason: deletion.reason, deletedAt: deletion.deletedAt };
  },
  setCandidateAvailability: async (_p, { input }, { em }) => ({
    conseiller: await setCandidateAvailability(em, { ...input, conseillerId: parseId(input.conseillerId, 'input.conseillerId') }),
  }),

  preselectCandidate: async (_p, { input }, { em }) => ({
    miseEnRelation: await preselectCandidate(em, {
      structureId: structureId(input.structureId),
      conseillerId: parseId(input.conseillerId, 'input.conseillerId'),
      actor: input.actor,
    }),
  }),
  rejectCandidate: async (_p, { input }, { em }) => ({ miseEnRelation: await moveCandidate(em, merAction(input), 'NON_INTERESSEE') }),
  reconsiderCandidate: async (_p, { input }, { em }) => ({ miseEnRelation: await moveCandidate(em, merAction(input), 'NOUVELLE') }),
  recruitCandidate: async (_p, { input }, { em }) => ({
    miseEnRelation: await recruitCandidate(em, { ...merAction(input), contract: input.contract, isCoordinatorContract: input.isCoordinatorContract }),
  }),
  validateRecruitment: async (_p, { input }, { em }) => ({ miseEnRelation: await validateRecruitment(em, merAction(input)) }),
  cancelRecruitment: async (_p, { input }, { em }) => ({ miseEnRelation: await cancelRecruitment(em, merAction(input)) }),
  declareRupture: async (_p, { input }, { em }) => ({ miseEnRelation: await declareRupture(em, { ...merAction(input), date: input.date, reason: input.reason }) }),
  flagRuptureMissingDocuments: async (_p, { input }, { em }) => ({
    miseEnRelation: await flagRuptureMissingDocuments(em, { ...merAction(input), missingDocuments: input.missingDocuments }),
  }),
  validateRupture: async (_p, { input }, { em }) => ({ miseEnRelation: await validateRupture(em, merAction(input)) }),
  cancelRupture: async (_p, { input }, { em }) => ({ miseEnRelation: await cancelRupture(em, merAction(input)) }),
  requestContractExtension: async (_p, { input }, { em }) => ({
    miseEnRelation: await requestContractExtension(em, { ...merAction(input), requestedEndDate: input.requestedEndDate, requestedSalaryCents: input.requestedSalaryCents }),
  }),
  validateContractExtension: async (_p, { input }, { em }) => ({ miseEnRelation: await validateContractExtension(em, merAction(input)) }),
  renewContract: async (_p, { input }, { em }) => ({ miseEnRelation: await renewContract(em, { ...merAction(input), contract: input.contract }) }),
  validateRenewal: async (_p, { input }, { em }) => ({ miseEnRelation: await validateRenewal(em, merAction(input)) }),
  endContract: async (_p, { input }, { em }) => ({ miseEnRelation: await endContract(em, merAction(input)) }),
};
