import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { demoWorld } from '../../common/demo/world.js';
import { Convention } from '../entities/index.js';
import { initialAgreementMonths, initialSubsidyPerPostCents } from '../services/subsidy.rules.js';

/** A phase-1 agreement for every validated structure of the shared demo world. */
export class DemoSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const world = demoWorld();
    await em.transactional((tx) => {
      for (const s of world.structures.filter((s) => s.status === 'VALIDATION_COSELEC')) {
        const sector = s.type === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC';
        const start = new Date(Date.UTC(2021, (s.id * 5) % 12, 1));
        const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + initialAgreementMonths(sector), 0));
        tx.create(Convention, {
          structureId: s.id,
          phase: 'PHASE_1',
          status: 'CONVENTIONNEMENT_VALIDE',
          postsCount: s.postQuota,
          amountCents: s.postQuota * initialSubsidyPerPostCents(sector, s.commune.departement),
          startDate: start.toISOString().slice(0, 10),
          endDate: end.toISOString().slice(0, 10),
        });
      }
    });
  }
}
