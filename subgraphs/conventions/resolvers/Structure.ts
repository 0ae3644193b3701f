import { parseId } from '../../common/ids.js';
import type { StructureResolvers } from '../types.generated.js';

export const Structure: StructureResolvers = {
  // Any structure id is accepted: a structure without agreements simply has none.
  __resolveReference: (ref) => ({ __typename: 'Structure', id: String(parseId(ref.id)) }),
  conventions: (structure, _args, { loaders }) => loaders.conventionsByStructure.load(parseId(structure.id)),
};
