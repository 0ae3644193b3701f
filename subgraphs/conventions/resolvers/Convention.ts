import { parseId } from '../../common/ids.js';
import { reference } from '../../common/references.js';
import type { ConventionResolvers } from '../types.generated.js';

export const Convention: ConventionResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.convention.load(parseId(ref.id)),
  structure: (convention) => reference('Structure', convention.structureId),
};
