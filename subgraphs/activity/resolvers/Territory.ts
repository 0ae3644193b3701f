import type { DepartementResolvers, RegionResolvers } from '../types.generated.js';

export const Departement: DepartementResolvers = {
  __resolveReference: (ref) => ({ __typename: 'Departement', code: ref.code }),
  craStatistics: (departement, { from, to, activityType }, { loaders }) =>
    loaders.statistics('departement_code', from, to, activityType).load(departement.code),
};

export const Region: RegionResolvers = {
  __resolveReference: (ref) => ({ __typename: 'Region', code: ref.code }),
  craStatistics: (region, { from, to, activityType }, { loaders }) =>
    loaders.statistics('region_code', from, to, activityType).load(region.code),
};
