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
import { transferPost } from '../services/post.service.js';
import type { MutationResolvers } from '../types.generated.js';

const ids = (values: readonly string[] | null | undefined, field: string) => values?.map((value) => parseId(value, field));

/** Each step of an agreement's life: the ids parsed, one service call, one transaction. */
export const Mutation: MutationResolvers = {
  openConvention: async (_p, { input }, { em, viewer }) => ({
    convention: await openConvention(em, viewer, { ...input, structureId: parseId(input.structureId, 'input.structureId') }),
  }),
  moveDsFile: async (_p, { input }, { em, viewer }) => ({
    convention: await moveDsFile(em, viewer, { ...input, conventionId: parseId(input.conventionId, 'input.conventionId') }),
  }),
  signConvention: async (_p, { input }, { em, viewer }) => ({
    convention: await signConvention(em, viewer, { ...input, conventionId: parseId(input.conventionId, 'input.conventionId') }),
  }),
  markTranchePaid: async (_p, { input }, { em, viewer }) => ({
    tranche: await markTranchePaid(em, viewer, { ...input, trancheId: parseId(input.trancheId, 'input.trancheId') }),
  }),
  requestAmendment: async (_p, { input }, { em, viewer }) => ({
    amendment: await requestAmendment(em, viewer, {
      ...input,
      conventionId: parseId(input.conventionId, 'input.conventionId'),
      postIds: ids(input.postIds, 'input.postIds'),
    }),
  }),
  givePrefectOpinion: async (_p, { input }, { em, viewer }) => ({
    amendment: await givePrefectOpinion(em, viewer, {
      ...input,
      amendmentId: parseId(input.amendmentId, 'input.amendmentId'),
      transferFromStructureId: input.transferFromStructureId
        ? parseId(input.transferFromStructureId, 'input.transferFromStructureId')
        : null,
    }),
  }),
  decideAmendment: async (_p, { input }, { em, viewer }) => ({
    amendment: await decideAmendment(em, viewer, { ...input, amendmentId: parseId(input.amendmentId, 'input.amendmentId') }),
  }),
  transferPost: async (_p, { input }, { em, viewer }) => ({
    post: await transferPost(em, viewer, {
      ...input,
      postId: parseId(input.postId, 'input.postId'),
      toConventionId: parseId(input.toConventionId, 'input.toConventionId'),
    }),
  }),
  renewConvention: async (_p, { input }, { em, viewer }) => ({
    convention: await renewConvention(em, viewer, {
      ...input,
      conventionId: parseId(input.conventionId, 'input.conventionId'),
      postIds: ids(input.postIds, 'input.postIds'),
    }),
  }),
  declineRenewal: async (_p, { input }, { em, viewer }) => ({
    convention: await declineRenewal(em, viewer, { ...input, conventionId: parseId(input.conventionId, 'input.conventionId') }),
  }),
  terminateConvention: async (_p, { input }, { em, viewer }) => ({
    convention: await terminateConvention(em, viewer, { ...input, conventionId: parseId(input.conventionId, 'input.conventionId') }),
  }),
};
