import { parseId } from '../../common/ids.js';
import { reference } from '../../common/references.js';
import type { FormationResolvers } from '../types.generated.js';

export const Formation: FormationResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.formation.load(parseId(ref.id)),
  conseiller: (formation) => reference('Conseiller', formation.conseillerId),
};
