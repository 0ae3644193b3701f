import { parseId } from '../../common/ids.js';
import { listStructures } from '../services/structure.service.js';
import type { QueryResolvers } from '../types.generated.js';

export const Query: QueryResolvers = {
  structure: (_parent, { id }, { loaders }) => loaders.structure.load(parseId(id)),
  structures: (_parent, args, { em }) => listStructures(em, args),
  conseiller: (_parent, { id }, { loaders }) => loaders.conseiller.load(parseId(id)),
};
