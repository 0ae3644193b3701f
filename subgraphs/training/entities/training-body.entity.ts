import { defineEntity, p } from '@mikro-orm/core';
import { TRAINING_CONTRACTS } from '../rules/training.js';

/** A training body (*organisme de formation*) holding lots of the State's training contracts. */
export const TrainingBodySchema = defineEntity({
  name: 'TrainingBody',
  properties: {
    id: p.integer().primary(),
    name: p.string().unique(),
    siret: p.string().length(14).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class TrainingBody extends TrainingBodySchema.class {}
TrainingBodySchema.setClass(TrainingBody);

/** A lot of a public training contract (*lot de marché*): which body trains whom, under which contract. */
export const ContractLotSchema = defineEntity({
  name: 'ContractLot',
  uniques: [{ properties: ['contractNumber', 'lotNumber'] }],
  properties: {
    id: p.integer().primary(),
    contract: p.enum(TRAINING_CONTRACTS),
    /** The contract's reference (dataspace `marche_formation`, 8 characters). */
    contractNumber: p.string().length(8),
    lotNumber: p.smallint(),
    /** What the lot covers (territory or audience). */
    label: p.string(),
    holder: () => p.manyToOne(TrainingBody).index(),
    startDate: p.date(),
    endDate: p.date(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class ContractLot extends ContractLotSchema.class {}
ContractLotSchema.setClass(ContractLot);
