import { parseId } from '../../../common/ids.js';
import { findDepartement } from '../services/territory.service.js';
import type { ConseillerResolvers } from '../types.generated.js';
import { locationOf } from '../rules/geography.js';

export const Conseiller: ConseillerResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.conseiller.load(parseId(ref.id)),
  departement: (conseiller) => findDepartement(conseiller.departementCode),
  location: (conseiller) => locationOf(conseiller),
  situation: (c) => ({
    isJobSeeker: c.isJobSeeker,
    isEmployed: c.isEmployed,
    isInTraining: c.isInTraining,
    hasMedNumDiploma: c.hasMedNumDiploma,
    medNumDiplomaName: c.medNumDiplomaName,
    hasMedNumExperience: c.hasMedNumExperience,
  }),
  pix: (c) =>
    c.pixShared
      ? {
          sharedAt: c.pixSharedAt,
          level: c.pixLevel,
          professionalUse: c.pixSkillProfessional,
          resourceProduction: c.pixSkillResources,
          eCitizenship: c.pixSkillCitizenship,
        }
      : null,
  structure: (conseiller, _args, { loaders }) => (conseiller.structure ? loaders.structure.load(conseiller.structure.id) : null),
  coordination: (c) => (c.isCoordinator && c.coordinationScope ? { scope: c.coordinationScope, items: c.coordinatedItems ?? [] } : null),
  contracts: (conseiller, _args, { loaders }) => loaders.contractsByConseiller.load(conseiller.id),
  personalData: async (conseiller, _args, { loaders }) => (await loaders.personalData.load(conseiller.id))[0] ?? null,
};
