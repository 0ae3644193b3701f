import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { demoWorld } from '../../common/demo/world.js';
import { Formation } from '../entities/index.js';

const PATH_HOURS = [105, 280, 350, 420];

/** An initial training path for every person of the shared demo world who was ever recruited. */
export class DemoSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const world = demoWorld();
    await em.transactional((tx) => {
      for (const person of world.people.filter((p) => p.startDate)) {
        const hours = PATH_HOURS[person.id % PATH_HOURS.length]!;
        const start = new Date(`${person.startDate}T00:00:00Z`);
        const end = new Date(start.getTime() + Math.ceil(hours / 35) * 7 * 86_400_000);
        tx.create(Formation, {
          conseillerId: person.id,
          hours,
          status: person.status === 'RUPTURE' && person.id % 2 === 0 ? 'ABANDONED' : 'COMPLETED',
          startDate: person.startDate!,
          endDate: end.toISOString().slice(0, 10),
        });
      }
    });
  }
}
