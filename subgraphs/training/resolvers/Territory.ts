import { parseId } from '../../../common/ids.js';
import { today } from '../../../common/calendar.js';
import type { DepartementResolvers, RegionResolvers, StructureResolvers } from '../types.generated.js';

// Any key is accepted: a territory or structure without advisors in training has an all-zero summary.
export const Departement: DepartementResolvers = {
  __resolveReference: (ref) => ({ __typename: 'Departement', code: String(ref.code) }),
  training: (departement, { asOf }, { loaders }) =>
    loaders.summary.load({ kind: 'departement', code: String(departement.code), asOf: asOf ?? today() }),
};

export const Region: RegionResolvers = {
  __resolveReference: (ref) => ({ __typename: 'Region', code: String(ref.code) }),
  training: (region, { asOf }, { loaders }) => loaders.summary.load({ kind: 'region', code: String(region.code), asOf: asOf ?? today() }),
};

export const Structure: StructureResolvers = {
  __resolveReference: (ref) => ({ __typename: 'Structure', id: String(parseId(ref.id)) }),
  training: (structure, { asOf }, { loaders }) =>
    loaders.summary.load({ kind: 'structure', code: String(parseId(structure.id)), asOf: asOf ?? today() }),
};
