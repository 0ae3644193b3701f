import { defineEntity, p } from '@mikro-orm/core';
import { CONSEILLER_STATUSES, COORDINATION_SCOPES, DELETION_REASONS, SEXES } from './vocabulary.js';
import { Structure } from './structure.entity.js';
import { MiseEnRelation } from './mise-en-relation.entity.js';

/** A person: candidate first, then advisor (docs/domain.md §1.2). Personal data lives apart, in ConseillerPersonalData. */
export const ConseillerSchema = defineEntity({
  name: 'Conseiller',
  properties: {
    /**
     * The programme's public id (idPG). Imports and the demo seed keep the programme's own ids (then move the
     * sequence past them); new applications take the next value of the sequence.
     */
    id: p.integer().primary(),
    firstName: p.string(),
    lastName: p.string(),
    status: p.enum(CONSEILLER_STATUSES).index(),
    // Where the candidate lives.
    postalCode: p.string().length(5).nullable(),
    communeCode: p.string().length(5),
    communeName: p.string().nullable(),
    departementCode: p.string().length(3).index(),
    regionCode: p.string().length(3).index(),
    latitude: p.double().nullable(),
    longitude: p.double().nullable(),
    // Application.
    maxDistanceKm: p.integer().default(2000),
    availableFrom: p.date().nullable(),
    /** False once recruited or withdrawn: only available candidates are matched. */
    isAvailable: p.boolean().default(true).index(),
    isJobSeeker: p.boolean().default(false),
    isEmployed: p.boolean().default(false),
    isInTraining: p.boolean().default(false),
    hasMedNumDiploma: p.boolean().default(false),
    medNumDiplomaName: p.string().nullable(),
    hasMedNumExperience: p.boolean().default(false),
    motivation: p.text().nullable(),
    cvUploadedAt: p.datetime().nullable(),
    pixShared: p.boolean().default(false),
    pixSharedAt: p.datetime().nullable(),
    pixLevel: p.smallint().nullable(),
    pixSkillProfessional: p.boolean().default(false),
    pixSkillResources: p.boolean().default(false),
    pixSkillCitizenship: p.boolean().default(false),
    // Advisor.
    structure: () => p.manyToOne(Structure).nullable().index(),
    startedAt: p.date().nullable(),
    isCoordinator: p.boolean().default(false),
    coordinationScope: p.enum(COORDINATION_SCOPES).nullable(),
    /** Advisor ids or territory codes, depending on `coordinationScope`. */
    coordinatedItems: p.array().nullable(),
    /** Inverse side, for row filters only (a person matched with a visible structure is visible); never loaded. */
    misesEnRelation: () => p.oneToMany(MiseEnRelation).mappedBy('conseiller'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class Conseiller extends ConseillerSchema.class {}
ConseillerSchema.setClass(Conseiller);

/**
 * The protected part of a person (email, phone, birth date, sex): its own table, so it is loaded only when asked
 * for and can be guarded as a whole.
 */
export const ConseillerPersonalDataSchema = defineEntity({
  name: 'ConseillerPersonalData',
  properties: {
    /** Same value as the person's id. */
    conseiller: () => p.oneToOne(Conseiller).primary().owner().deleteRule('cascade'),
    email: p.string(),
    phone: p.string().length(20).nullable(),
    birthDate: p.date().nullable(),
    sex: p.enum(SEXES).nullable(),
  },
});

export class ConseillerPersonalData extends ConseillerPersonalDataSchema.class {}
ConseillerPersonalDataSchema.setClass(ConseillerPersonalData);

/**
 * A candidate deleted (legacy `conseillersSupprimes`): a duplicate account, or a GDPR erasure request. Only the
 * fact is kept (id, reason, when, who), never the person's data.
 */
export const ConseillerDeletionSchema = defineEntity({
  name: 'ConseillerDeletion',
  properties: {
    id: p.integer().primary(),
    /** The deleted person's former public id (the row itself is gone). */
    conseillerId: p.integer().unique(),
    reason: p.enum(DELETION_REASONS),
    actor: p.string().nullable(),
    deletedAt: p.datetime().onCreate(() => new Date()),
  },
});

export class ConseillerDeletion extends ConseillerDeletionSchema.class {}
ConseillerDeletionSchema.setClass(ConseillerDeletion);
