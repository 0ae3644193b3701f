import { parseId } from '../../common/ids.js';
import { reference } from '../../common/references.js';
import type { CraResolvers } from '../types.generated.js';

export const Cra: CraResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.cra.load(parseId(ref.id)),
  conseiller: (cra) => reference('Conseiller', cra.conseillerId),
  structure: (cra) => reference('Structure', cra.structureId),
};
