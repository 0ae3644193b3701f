import type { MikroORM } from '../../../subgraphs/common/db.js';
import { Convention } from '../../../subgraphs/conventions/entities/index.js';

export async function createConvention(orm: MikroORM, data: Partial<Convention> & { structureId: number }): Promise<Convention> {
  const em = orm.em.fork();
  const convention = em.create(Convention, {
    phase: 'PHASE_1',
    status: 'CONVENTIONNEMENT_VALIDE',
    postsCount: 1,
    amountCents: 50_000_00,
    startDate: '2022-01-01',
    endDate: '2023-12-31',
    ...data,
  });
  await em.flush();
  return convention;
}
