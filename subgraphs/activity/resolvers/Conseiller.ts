import { parseId } from '../../common/ids.js';
import { pageSize } from '../../common/pagination.js';
import type { ConseillerResolvers } from '../types.generated.js';

export const Conseiller: ConseillerResolvers = {
  // Any advisor id is accepted: a candidate simply has no reports.
  __resolveReference: (ref) => ({ __typename: 'Conseiller', id: String(parseId(ref.id)) }),
  cras: (conseiller, { last }, { loaders }) => loaders.latestCras(pageSize(last, 'last')).load(parseId(conseiller.id)),
};
