import { defineEntity, p } from '@mikro-orm/core';
import {
  PHASES,
  CONVENTION_STATUSES,
  DS_PROCEDURES,
  DS_STATES,
  LEGAL_CATEGORIES,
  NETWORKS,
  SECTORS,
  TERMINATION_KINDS,
} from './vocabulary.js';

export const ConventionSchema = defineEntity({
  name: 'Convention',
  properties: {
    id: p.integer().primary(),
    /** The structure (owned by the recruitment subgraph): a federation reference, not a foreign key. */
    structureId: p.integer().index(),
    phase: p.enum(PHASES),
    status: p.enum(CONVENTION_STATUSES),
    /** The structure's facts the subsidy depends on, copied when the agreement is opened (never read across schemas). */
    sector: p.enum(SECTORS),
    legalCategory: p.enum(LEGAL_CATEGORIES),
    departementCode: p.string().length(3).index(),
    /** 2 digits, or 3 for a collectivité d'outre-mer (e.g. 978 Saint-Martin). */
    regionCode: p.string().length(3).index(),
    /** QPV or ZRR: the renewal's bonification applies. */
    priorityArea: p.boolean().default(false),
    /** The structure's national network (*grand réseau*), if any: locates the agreement for that network's managers. */
    network: p.enum(NETWORKS).nullable().index(),
    /** Posts funded now (given-back posts excluded). */
    postsCount: p.integer(),
    /** Subsidy committed, in integer euro cents: the sum of its posts' funding. */
    amountCents: p.bigint('number'),
    durationMonths: p.integer(),
    startDate: p.date(),
    endDate: p.date(),
    signedOn: p.date().nullable(),
    /** Démarches Simplifiées file (dossier); none for a renewal declined without one. */
    dsNumber: p.integer().nullable().unique(),
    dsProcedure: p.enum(DS_PROCEDURES).nullable(),
    dsState: p.enum(DS_STATES).nullable(),
    dsCreatedAt: p.datetime().nullable(),
    dsInstructionStartedAt: p.datetime().nullable(),
    dsProcessedAt: p.datetime().nullable(),
    dsUpdatedAt: p.datetime().nullable(),
    /** The phase-1 agreement a renewal continues. */
    previousConventionId: p.integer().nullable().index(),
    /** Why the structure declined to renew (NON_INTERESSE). */
    declineReason: p.text().nullable(),
    terminatedOn: p.date().nullable(),
    terminationKind: p.enum(TERMINATION_KINDS).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class Convention extends ConventionSchema.class {}
ConventionSchema.setClass(Convention);
