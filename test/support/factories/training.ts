import type { MikroORM } from '../../../subgraphs/common/db.js';
import { Formation } from '../../../subgraphs/training/entities/index.js';

export async function createFormation(orm: MikroORM, data: Partial<Formation> & { conseillerId: number }): Promise<Formation> {
  const em = orm.em.fork();
  const formation = em.create(Formation, { hours: 105, status: 'COMPLETED', startDate: '2022-02-01', endDate: '2022-03-15', ...data });
  await em.flush();
  return formation;
}
