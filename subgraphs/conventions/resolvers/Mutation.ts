import { parseId } from '../../../common/ids.js';
import { decideAmendment, givePrefectOpinion, requestAmendment } from '../services/amendment.service.js';
import {
  declineRenewal,
  moveDsFile,
  openConvention,
  renewConvention,
  signConvention,
  terminateConvention,
} from '../services/convention.service.js';
import { markTranchePaid } from '../services/ledger.service.js';
import { endEmploymentContract, recordEmploymentContract, transferPost } from '../services/post.service.js';
import type { MutationResolvers } from '../types.generated.js';

/** Each step of an agreement's life: one service call, one transaction. */
export const Mutation: MutationResolvers = {
  openConvention: (_p, { input }, { em, viewer }) => openConvention(em, viewer, input),
  moveDsFile: (_p, { conventionId, state, at }, { em, viewer }) =>
    moveDsFile(em, viewer, parseId(conventionId, 'conventionId'), state, at ?? undefined),
  signConvention: (_p, { id, signedOn, startDate }, { em, viewer }) => signConvention(em, viewer, parseId(id), signedOn, startDate),
  recordEmploymentContract: (_p, { input }, { em, viewer }) => recordEmploymentContract(em, viewer, input),
  endEmploymentContract: (_p, { id, endedOn }, { em, viewer }) => endEmploymentContract(em, viewer, parseId(id), endedOn),
  markTranchePaid: (_p, { id, paidOn }, { em, viewer }) => markTranchePaid(em, viewer, parseId(id), paidOn),
  requestAmendment: (_p, { input }, { em, viewer }) => requestAmendment(em, viewer, input),
  givePrefectOpinion: (_p, { id, input }, { em, viewer }) => givePrefectOpinion(em, viewer, parseId(id), input),
  decideAmendment: (_p, { id, accept, decidedOn, postsGranted }, { em, viewer }) =>
    decideAmendment(em, viewer, parseId(id), accept, decidedOn, postsGranted),
  transferPost: (_p, { postId, toConventionId, on }, { em, viewer }) =>
    transferPost(em, viewer, parseId(postId, 'postId'), parseId(toConventionId, 'toConventionId'), on),
  renewConvention: (_p, { input }, { em, viewer }) => renewConvention(em, viewer, input),
  declineRenewal: (_p, { conventionId, reason }, { em, viewer }) =>
    declineRenewal(em, viewer, parseId(conventionId, 'conventionId'), reason),
  terminateConvention: (_p, { id, kind, on }, { em, viewer }) => terminateConvention(em, viewer, parseId(id), kind, on),
};
