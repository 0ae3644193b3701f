import { parseId } from '../../../common/ids.js';
import { pageSize } from '../../../common/pagination.js';
import type { StructureResolvers } from '../types.generated.js';

export const Structure: StructureResolvers = {
  __resolveReference: (ref) => ({ __typename: 'Structure', id: String(parseId(ref.id)) }),
  cras: (structure, { last }, { loaders }) => loaders.latestCras('structure_id', pageSize(last, 'last')).load(parseId(structure.id)),
  craStatistics: (structure, { from, to, activityType }, { loaders }) =>
    loaders.statistics('structure_id', from, to, activityType).load(String(parseId(structure.id))),
  places: (structure, _args, { loaders }) => loaders.placesOfStructure.load(parseId(structure.id)),
};
