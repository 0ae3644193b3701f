import { reference } from '../../../common/references.js';
import type { Post } from '../entities/index.js';
import type { AmendmentResolvers, CreditNoteResolvers, EmploymentContractResolvers, TrancheResolvers } from '../types.generated.js';

/** Tranches, credit notes, contracts and amendments: children of an agreement, loaded in batches. */

export const Tranche: TrancheResolvers = {
  convention: async (tranche, _args, { loaders }) => (await loaders.convention.load(tranche.convention.id))!,
  status: async (tranche, _args, { loaders }) => (await loaders.trancheState.load(tranche)).status,
  blockedReason: async (tranche, _args, { loaders }) => (await loaders.trancheState.load(tranche)).blockedReason,
};

export const CreditNote: CreditNoteResolvers = {
  convention: async (note, _args, { loaders }) => (await loaders.convention.load(note.convention.id))!,
  post: (note, _args, { loaders }) => (note.postId ? loaders.post.load(note.postId) : null),
};

export const EmploymentContract: EmploymentContractResolvers = {
  post: async (contract, _args, { loaders }) => (await loaders.post.load(contract.post.id))!,
  conseiller: (contract) => reference('Conseiller', contract.conseillerId),
};

export const Amendment: AmendmentResolvers = {
  structure: (amendment) => reference('Structure', amendment.structureId),
  convention: async (amendment, _args, { loaders }) => (amendment.convention ? loaders.convention.load(amendment.convention.id) : null),
  givenBackPosts: async (amendment, _args, { loaders }) => {
    const posts = await loaders.post.loadMany(amendment.givenBackPostIds ?? []);
    return posts.filter((p): p is Post => p != null && !(p instanceof Error));
  },
};
