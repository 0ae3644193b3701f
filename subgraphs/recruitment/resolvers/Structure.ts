import { parseId } from '../../common/ids.js';
import type { StructureResolvers } from '../types.generated.js';

export const Structure: StructureResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.structure.load(parseId(ref.id)),
  sector: (structure) => (structure.type === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC'),
  conseillers: (structure, _args, { loaders }) => loaders.conseillersByStructure.load(structure.id),
};
