import { defineEntity, p } from '@mikro-orm/core';
import { SESSION_STATUSES, TRAINING_MODALITIES, TRAINING_RHYTHMS } from '../rules/training.js';
import { ContractLot } from './training-body.entity.js';

/** A session of initial training run by a lot holder: learners of one path length, one place, one period. */
export const TrainingSessionSchema = defineEntity({
  name: 'TrainingSession',
  properties: {
    id: p.integer().primary(),
    lot: () => p.manyToOne(ContractLot).index(),
    place: p.string(),
    departementCode: p.string().length(3).index(),
    startDate: p.date().index(),
    endDate: p.date(),
    /** Path length this session delivers. */
    hours: p.integer(),
    rhythm: p.enum(TRAINING_RHYTHMS),
    /** What the body planned. */
    plannedModality: p.enum(TRAINING_MODALITIES),
    /** What it runs in: remote when fewer than 8 learners were enrolled for an in-person session. */
    modality: p.enum(TRAINING_MODALITIES),
    capacity: p.integer(),
    status: p.enum(SESSION_STATUSES),
    confirmedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class TrainingSession extends TrainingSessionSchema.class {}
TrainingSessionSchema.setClass(TrainingSession);
