import type { MikroORM } from '../../../subgraphs/common/db.js';
import { Cra } from '../../../subgraphs/activity/entities/index.js';

export async function createCra(orm: MikroORM, data: Partial<Cra> & { conseillerId: number; structureId: number }): Promise<Cra> {
  const em = orm.em.fork();
  const cra = em.create(Cra, { date: '2024-03-01', activityType: 'INDIVIDUEL', channel: 'RATTACHEMENT', participants: 1, durationMinutes: 45, ...data });
  await em.flush();
  return cra;
}
