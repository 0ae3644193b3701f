import { parseId } from '../../../common/ids.js';
import { reference } from '../../../common/references.js';
import type { PostResolvers } from '../types.generated.js';

export const Post: PostResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.post.load(parseId(ref.id)),
  convention: async (post, _args, { loaders }) => (await loaders.convention.load(post.convention.id))!,
  structure: (post) => reference('Structure', post.structureId),
  conseiller: (post) => (post.conseillerId ? reference('Conseiller', post.conseillerId) : null),
  renewedFrom: (post, _args, { loaders }) => (post.renewedFromId ? loaders.post.load(post.renewedFromId) : null),
  transferredFrom: (post, _args, { loaders }) => (post.transferredFromId ? loaders.post.load(post.transferredFromId) : null),
  contracts: (post, _args, { loaders }) => loaders.contractsByPost.load(post.id),
};
