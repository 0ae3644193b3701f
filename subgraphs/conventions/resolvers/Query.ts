import { parseId } from '../../common/ids.js';
import type { QueryResolvers } from '../types.generated.js';

export const Query: QueryResolvers = {
  convention: (_parent, { id }, { loaders }) => loaders.convention.load(parseId(id)),
};
