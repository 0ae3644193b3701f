import { parseId } from '../../common/ids.js';
import type { ConseillerResolvers } from '../types.generated.js';

export const Conseiller: ConseillerResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.conseiller.load(parseId(ref.id)),
  structure: (conseiller, _args, { loaders }) => (conseiller.structure ? loaders.structure.load(conseiller.structure.id) : null),
};
