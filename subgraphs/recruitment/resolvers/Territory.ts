import { findDepartement, findRegion, listDepartements } from '../services/territory.service.js';
import type { DepartementResolvers, RegionResolvers } from '../types.generated.js';

export const Departement: DepartementResolvers = {
  __resolveReference: (ref) => findDepartement(String(ref.code)),
  name: (d) => d.nom,
  region: (d) => findRegion(d.region)!,
  recruitment: (d, _args, { loaders }) => loaders.departementRecruitment.load(d.code),
};

export const Region: RegionResolvers = {
  __resolveReference: (ref) => findRegion(String(ref.code)),
  name: (r) => r.nom,
  departements: (r) => listDepartements(r.code),
  recruitment: (r, _args, { loaders }) => loaders.regionRecruitment.load(r.code),
};
