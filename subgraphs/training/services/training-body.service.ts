import type { EntityManager } from '@mikro-orm/postgresql';
import { TrainingBody } from '../entities/index.js';

/** The bodies holding contract lots: a short reference list (a few dozen rows), returned whole. */
export function listTrainingBodies(em: EntityManager): Promise<TrainingBody[]> {
  return em.find(TrainingBody, {}, { orderBy: { name: 'asc' } });
}
