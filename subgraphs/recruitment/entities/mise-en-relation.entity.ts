import { defineEntity, p } from '@mikro-orm/core';
import { Conseiller } from './conseiller.entity.js';
import { Structure } from './structure.entity.js';
import {
  CONTRACT_TYPES,
  EXTENSION_STATUSES,
  MISE_EN_RELATION_ORIGINS,
  MISE_EN_RELATION_STATUSES,
  PHASES,
  RUPTURE_REASONS,
} from './vocabulary.js';

/**
 * The link between a structure and a candidate, which also carries the contract (docs/domain.md §1.3–1.4). Who did
 * what is kept twice: in the programme's own fields (`recruitmentRequestedBy`…) and in the append-only
 * MiseEnRelationEvent log.
 */
export const MiseEnRelationSchema = defineEntity({
  name: 'MiseEnRelation',
  tableName: 'mise_en_relation',
  properties: {
    id: p.integer().primary(),
    structure: () => p.manyToOne(Structure).index(),
    conseiller: () => p.manyToOne(Conseiller).index(),
    status: p.enum(MISE_EN_RELATION_STATUSES).index(),
    origin: p.enum(MISE_EN_RELATION_ORIGINS).default('MATCHING'),
    /** Distance between the candidate's and the structure's communes when matched, metres. */
    distanceMeters: p.integer().nullable(),
    phase: p.enum(PHASES).default('PHASE_1'),
    isCoordinatorContract: p.boolean().default(false),
    // Contract.
    contractType: p.enum(CONTRACT_TYPES).nullable(),
    contractStartDate: p.date().nullable(),
    contractEndDate: p.date().nullable(),
    /** Gross monthly salary, euro cents. */
    grossMonthlySalaryCents: p.integer().nullable(),
    recruitmentRequestedBy: p.string().nullable(),
    recruitmentRequestedAt: p.datetime().nullable(),
    recruitmentValidatedBy: p.string().nullable(),
    recruitmentValidatedAt: p.datetime().nullable(),
    // Rupture.
    ruptureDate: p.date().nullable(),
    ruptureReason: p.enum(RUPTURE_REASONS).nullable(),
    ruptureMissingDocuments: p.boolean().default(false),
    ruptureDeclaredBy: p.string().nullable(),
    ruptureDeclaredAt: p.datetime().nullable(),
    ruptureValidatedBy: p.string().nullable(),
    ruptureValidatedAt: p.datetime().nullable(),
    // Renewal (reconventionnement): the new MER points to the one it renews.
    renewalOf: () => p.manyToOne(MiseEnRelation).nullable().index(),
    renewalRequestedBy: p.string().nullable(),
    renewalRequestedAt: p.datetime().nullable(),
    /** Inverse side, for filters only (`$some` / `$none`); resolvers load extensions through a DataLoader. */
    extensions: () => p.oneToMany(ContractExtension).mappedBy('miseEnRelation'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date())
      .index(),
  },
});

export class MiseEnRelation extends MiseEnRelationSchema.class {}
MiseEnRelationSchema.setClass(MiseEnRelation);

/** One status change of a mise en relation: who, when, from what to what (append-only). */
export const MiseEnRelationEventSchema = defineEntity({
  name: 'MiseEnRelationEvent',
  tableName: 'mise_en_relation_event',
  properties: {
    id: p.integer().primary(),
    miseEnRelation: () => p.manyToOne(MiseEnRelation).index(),
    fromStatus: p.enum(MISE_EN_RELATION_STATUSES).nullable(),
    toStatus: p.enum(MISE_EN_RELATION_STATUSES),
    actor: p.string().nullable(),
    at: p.datetime().onCreate(() => new Date()),
  },
});

export class MiseEnRelationEvent extends MiseEnRelationEventSchema.class {}
MiseEnRelationEventSchema.setClass(MiseEnRelationEvent);

/** A request to extend a fixed-term contract (demandesDeProlongation). */
export const ContractExtensionSchema = defineEntity({
  name: 'ContractExtension',
  properties: {
    id: p.integer().primary(),
    miseEnRelation: () => p.manyToOne(MiseEnRelation).index(),
    status: p.enum(EXTENSION_STATUSES),
    currentEndDate: p.date(),
    requestedEndDate: p.date(),
    currentSalaryCents: p.integer(),
    requestedSalaryCents: p.integer(),
    requestedBy: p.string().nullable(),
    requestedAt: p.datetime().onCreate(() => new Date()),
    validatedBy: p.string().nullable(),
    validatedAt: p.datetime().nullable(),
  },
});

export class ContractExtension extends ContractExtensionSchema.class {}
ContractExtensionSchema.setClass(ContractExtension);
