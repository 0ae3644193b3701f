import { parseId } from '../../../common/ids.js';
import { findDepartement, findRegion } from '../services/territory.service.js';
import type { StructureResolvers } from '../types.generated.js';
import { locationOf } from '../rules/geography.js';

export const Structure: StructureResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.structure.load(parseId(ref.id)),
  sector: (structure) => (structure.type === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC'),
  departement: (structure) => findDepartement(structure.departementCode),
  region: (structure) => findRegion(structure.regionCode),
  location: (structure) => locationOf(structure),
  contact: (s) =>
    s.contactEmail || s.contactLastName
      ? { firstName: s.contactFirstName, lastName: s.contactLastName, role: s.contactRole, email: s.contactEmail, phone: s.contactPhone }
      : null,
  application: (s) => ({
    hasIdentifiedCandidate: s.hasIdentifiedCandidate,
    missionStartDate: s.missionStartDate,
    requestedAdvisors: s.requestedAdvisors,
    motivation: s.motivation,
    isCoordinatorApplication: s.isCoordinatorApplication,
    coordinatorContractType: s.coordinatorContractType,
    hasIdentifiedCoordinator: s.hasIdentifiedCoordinator,
  }),
  occupiedPosts: (structure, _args, { loaders }) => loaders.occupiedPosts.load(structure.id),
  coselecDecisions: (structure, _args, { loaders }) => loaders.coselecDecisionsByStructure.load(structure.id),
  prefectOpinions: (structure, _args, { loaders }) => loaders.prefectOpinionsByStructure.load(structure.id),
  postRequests: (structure, _args, { loaders }) => loaders.postRequestsByStructure.load(structure.id),
  coordinatorRequests: (structure, _args, { loaders }) => loaders.coordinatorRequestsByStructure.load(structure.id),
  conseillers: (structure, _args, { loaders }) => loaders.conseillersByStructure.load(structure.id),
  contracts: (structure, _args, { loaders }) => loaders.contractsByStructure.load(structure.id),
};
