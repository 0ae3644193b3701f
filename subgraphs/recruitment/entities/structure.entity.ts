import { defineEntity, p } from '@mikro-orm/core';
import { Conseiller } from './conseiller.entity.js';
import { MiseEnRelation } from './mise-en-relation.entity.js';
import { COORDINATOR_CONTRACT_TYPES, NETWORKS, QPV_STATUSES, STRUCTURE_STATUSES, STRUCTURE_TYPES } from './vocabulary.js';

/** A host structure and its application (docs/domain.md §1.1). */
export const StructureSchema = defineEntity({
  name: 'Structure',
  properties: {
    /**
     * The programme's public id (idPG). Imports and the demo seed keep the programme's own ids (then move the
     * sequence past them); new applications take the next value of the sequence.
     */
    id: p.integer().primary(),
    name: p.string(),
    /** 14 digits, Luhn-valid; null only with a RIDET. */
    siret: p.string().length(14).nullable().index(),
    /** New Caledonia business number, 7 characters, when there is no SIRET. */
    ridet: p.string().length(7).nullable(),
    type: p.enum(STRUCTURE_TYPES),
    status: p.enum(STRUCTURE_STATUSES).index(),
    network: p.enum(NETWORKS).nullable().index(),
    // Address: real INSEE geography; coordinates from the commune (GeoNames), null when unknown.
    addressLine: p.string().nullable(),
    postalCode: p.string().length(5).nullable(),
    communeCode: p.string().length(5),
    communeName: p.string().nullable(),
    departementCode: p.string().length(3).index(),
    regionCode: p.string().length(3).index(),
    latitude: p.double().nullable(),
    longitude: p.double().nullable(),
    isZrr: p.boolean().default(false),
    qpvStatus: p.enum(QPV_STATUSES).default('NON'),
    isFranceServices: p.boolean().default(false),
    // Contact person.
    contactFirstName: p.string().nullable(),
    contactLastName: p.string().nullable(),
    contactRole: p.string().nullable(),
    contactEmail: p.string().nullable(),
    contactPhone: p.string().length(20).nullable(),
    // Application (candidature).
    hasIdentifiedCandidate: p.boolean().default(false),
    missionStartDate: p.date().nullable(),
    requestedAdvisors: p.integer().default(1),
    motivation: p.text().nullable(),
    isCoordinatorApplication: p.boolean().default(false),
    coordinatorContractType: p.enum(COORDINATOR_CONTRACT_TYPES).nullable(),
    hasIdentifiedCoordinator: p.boolean().default(false),
    /** Posts granted by the latest committee decision; written in the same transaction as that decision. */
    postQuota: p.integer().default(0),
    /** When the structure was first validated, and when the latest committee decision was recorded. */
    validatedAt: p.datetime().nullable(),
    coselecAt: p.datetime().nullable(),
    /** Inverse sides, for row filters only (an advisor sees its employer and the structures it was matched with); never loaded. */
    conseillers: () => p.oneToMany(Conseiller).mappedBy('structure'),
    misesEnRelation: () => p.oneToMany(MiseEnRelation).mappedBy('structure'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class Structure extends StructureSchema.class {}
StructureSchema.setClass(Structure);
