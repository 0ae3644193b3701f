import { parseId } from '../../../common/ids.js';
import type { ContractExtensionResolvers, MiseEnRelationEventResolvers, MiseEnRelationResolvers } from '../types.generated.js';
import { stamp } from './shape.js';

export const MiseEnRelation: MiseEnRelationResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.miseEnRelation.load(parseId(ref.id)),
  structure: (mer, _args, { loaders }) => loaders.structure.load(mer.structure.id).then((s) => s!),
  conseiller: (mer, _args, { loaders }) => loaders.conseiller.load(mer.conseiller.id).then((c) => c!),
  distanceKm: (mer) => (mer.distanceMeters == null ? null : mer.distanceMeters / 1000),
  contract: (mer) =>
    mer.contractType && mer.contractStartDate && mer.grossMonthlySalaryCents != null
      ? {
          type: mer.contractType,
          startDate: mer.contractStartDate,
          endDate: mer.contractEndDate,
          grossMonthlySalaryCents: mer.grossMonthlySalaryCents,
        }
      : null,
  recruitmentRequested: (mer) => stamp(mer.recruitmentRequestedBy, mer.recruitmentRequestedAt),
  recruitmentValidated: (mer) => stamp(mer.recruitmentValidatedBy, mer.recruitmentValidatedAt),
  rupture: (mer) =>
    mer.ruptureDate && mer.ruptureReason
      ? {
          date: mer.ruptureDate,
          reason: mer.ruptureReason,
          missingDocuments: mer.ruptureMissingDocuments,
          declared: stamp(mer.ruptureDeclaredBy, mer.ruptureDeclaredAt),
          validated: stamp(mer.ruptureValidatedBy, mer.ruptureValidatedAt),
        }
      : null,
  renewalOf: (mer, _args, { loaders }) => (mer.renewalOf ? loaders.miseEnRelation.load(mer.renewalOf.id) : null),
  renewedBy: async (mer, _args, { loaders }) => (await loaders.renewalsOf.load(mer.id))[0] ?? null,
  renewalRequested: (mer) => stamp(mer.renewalRequestedBy, mer.renewalRequestedAt),
  extensions: (mer, _args, { loaders }) => loaders.extensionsByMiseEnRelation.load(mer.id),
  history: (mer, _args, { loaders }) => loaders.eventsByMiseEnRelation.load(mer.id),
};

export const ContractExtension: ContractExtensionResolvers = {
  requested: (extension) => stamp(extension.requestedBy, extension.requestedAt)!,
  validated: (extension) => stamp(extension.validatedBy, extension.validatedAt),
};

export const MiseEnRelationEvent: MiseEnRelationEventResolvers = {};
