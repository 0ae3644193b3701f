import { parseId } from '../../../common/ids.js';
import { isPhase2Status } from '../rules/status.js';
import type { ConseillerResolvers, DepartementResolvers, RegionResolvers, StructureResolvers } from '../types.generated.js';

/** Entities owned by recruitment, extended with this subgraph's fields. */

export const Structure: StructureResolvers = {
  // Any structure id is accepted: a structure without agreements simply has none.
  __resolveReference: (ref) => ({ __typename: 'Structure', id: String(parseId(ref.id)) }),
  conventions: (structure, _args, { loaders }) => loaders.conventionsByStructure.load(parseId(structure.id)),
  posts: (structure, _args, { loaders }) => loaders.postsByStructure.load(parseId(structure.id)),
  funding: (structure, _args, { loaders }) => loaders.fundingByStructure.load(parseId(structure.id)),
  inPhase2: async (structure, _args, { loaders }) =>
    (await loaders.conventionsByStructure.load(parseId(structure.id))).some((c) => isPhase2Status(c.status) && !c.terminatedOn),
};

export const Conseiller: ConseillerResolvers = {
  // Any advisor id is accepted: an advisor on no funded post simply has none.
  __resolveReference: (ref) => ({ __typename: 'Conseiller', id: String(parseId(ref.id)) }),
  fundedPosts: (conseiller, _args, { loaders }) => loaders.postsByConseiller.load(parseId(conseiller.id)),
  employmentContracts: (conseiller, _args, { loaders }) => loaders.contractsByConseiller.load(parseId(conseiller.id)),
};

export const Departement: DepartementResolvers = {
  __resolveReference: (ref) => ({ code: String(ref.code) }),
  funding: (departement, _args, { loaders }) => loaders.fundingByDepartement.load(departement.code),
};

export const Region: RegionResolvers = {
  __resolveReference: (ref) => ({ code: String(ref.code) }),
  funding: (region, _args, { loaders }) => loaders.fundingByRegion.load(region.code),
};
