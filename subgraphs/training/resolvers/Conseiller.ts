import { parseId } from '../../common/ids.js';
import type { ConseillerResolvers } from '../types.generated.js';

export const Conseiller: ConseillerResolvers = {
  // Any advisor id is accepted: a candidate simply has no training yet.
  __resolveReference: (ref) => ({ __typename: 'Conseiller', id: String(parseId(ref.id)) }),
  formations: (conseiller, _args, { loaders }) => loaders.formationsByConseiller.load(parseId(conseiller.id)),
};
