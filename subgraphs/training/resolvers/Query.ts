import { parseId } from '../../common/ids.js';
import type { QueryResolvers } from '../types.generated.js';

export const Query: QueryResolvers = {
  formation: (_parent, { id }, { loaders }) => loaders.formation.load(parseId(id)),
};
