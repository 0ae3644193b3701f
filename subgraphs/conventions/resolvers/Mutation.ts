import { parseId } from '../../../common/ids.js';
import {
  declineRenewal,
  moveDsFile,
  openConvention,
  renewConvention,
  signConvention,
  terminateConvention,
} from '../services/convention.service.js';
import { markTranchePaid } from '../services/ledger.service.js';
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
