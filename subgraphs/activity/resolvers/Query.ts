import { parseId } from '../../common/ids.js';
import type { QueryResolvers } from '../types.generated.js';

export const Query: QueryResolvers = {
  cra: (_parent, { id }, { loaders }) => loaders.cra.load(parseId(id)),
};
