import { defineEntity, p } from '@mikro-orm/core';
import { TRAINING_PATH_STATUSES, TRAINING_MODALITIES, TRAINING_RHYTHMS } from '../rules/training.js';
import { TrainingSession } from './training-session.entity.js';

/**
 * An advisor's initial training path (*parcours de formation initiale*); its session, once enrolled, sets its dates,
 * rhythm and modality. The table keeps its first name, `formation`, so that the rename needed no migration.
 */
export const TrainingPathSchema = defineEntity({
  name: 'TrainingPath',
  tableName: 'formation',
  properties: {
    id: p.integer().primary(),
    /** The advisor (owned by the recruitment subgraph): a federation reference, not a foreign key. */
    conseillerId: p.integer().index(),
    hours: p.integer(),
    status: p.enum(TRAINING_PATH_STATUSES),
    /** Taken from the session on enrolment; null while TO_ENROL. */
    rhythm: p.enum(TRAINING_RHYTHMS).nullable(),
    modality: p.enum(TRAINING_MODALITIES).nullable(),
    /** Planned until the path starts, then actual. */
    startDate: p.date(),
    /** Planned until the path is completed, then actual. */
    endDate: p.date(),
    session: () => p.manyToOne(TrainingSession).nullable().index(),
    enrolledAt: p.datetime().nullable(),
    abandonedOn: p.date().nullable(),
    abandonReason: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class TrainingPath extends TrainingPathSchema.class {}
TrainingPathSchema.setClass(TrainingPath);

/** A day (or part of one) a learner missed, with its justification once given. */
export const AbsenceSchema = defineEntity({
  name: 'Absence',
  uniques: [{ properties: ['trainingPath', 'date'] }],
  properties: {
    id: p.integer().primary(),
    trainingPath: () => p.manyToOne(TrainingPath).fieldName('formation_id').index(),
    date: p.date(),
    hours: p.integer(),
    /** Why the learner was absent (sick note, job interview…); null while unjustified. */
    justification: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Absence extends AbsenceSchema.class {}
AbsenceSchema.setClass(Absence);
