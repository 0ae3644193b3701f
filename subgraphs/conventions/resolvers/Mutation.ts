import { parseId } from '../../common/ids.js';
import { decideAmendment, givePrefectOpinion, requestAmendment } from '../services/amendment.service.js';
import { declineRenewal, moveDsFile, openConvention, renewConvention, signConvention, terminateConvention } from '../services/convention.service.js';
import { markTranchePaid } from '../services/ledger.service.js';
import { endEmploymentContract, recordEmploymentContract, transferPost } from '../services/post.service.js';
import type { MutationResolvers } from '../types.generated.js';

/** Each step of an agreement's life: one service call, one transaction. */
export const Mutation: MutationResolvers = {
  openConvention: (_p, { input }, { em }) => openConvention(em, input),
  moveDsFile: (_p, { conventionId, state, at }, { em }) => moveDsFile(em, parseId(conventionId, 'conventionId'), state, at ?? undefined),
  signConvention: (_p, { id, signedOn, startDate }, { em }) => signConvention(em, parseId(id), signedOn, startDate),
  recordEmploymentContract: (_p, { input }, { em }) => recordEmploymentContract(em, input),
  endEmploymentContract: (_p, { id, endedOn }, { em }) => endEmploymentContract(em, parseId(id), endedOn),
  markTranchePaid: (_p, { id, paidOn }, { em }) => markTranchePaid(em, parseId(id), paidOn),
  requestAmendment: (_p, { input }, { em }) => requestAmendment(em, input),
  givePrefectOpinion: (_p, { id, input }, { em }) => givePrefectOpinion(em, parseId(id), input),
  decideAmendment: (_p, { id, accept, decidedOn, postsGranted }, { em }) => decideAmendment(em, parseId(id), accept, decidedOn, postsGranted),
  transferPost: (_p, { postId, toConventionId, on }, { em }) => transferPost(em, parseId(postId, 'postId'), parseId(toConventionId, 'toConventionId'), on),
  renewConvention: (_p, { input }, { em }) => renewConvention(em, input),
  declineRenewal: (_p, { conventionId, reason }, { em }) => declineRenewal(em, parseId(conventionId, 'conventionId'), reason),
  terminateConvention: (_p, { id, kind, on }, { em }) => terminateConvention(em, parseId(id), kind, on),
};
