import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { demoWorld } from '../../common/demo/world.js';
import { seededRandom } from '../../common/demo/random.js';
import { Cra, CRA_CHANNELS } from '../entities/index.js';

/** A few months of activity reports for every advisor in post in the shared demo world. */
export class DemoSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const world = demoWorld();
    const random = seededRandom(4);
    await em.transactional((tx) => {
      for (const person of world.people.filter((p) => p.status === 'RECRUTE')) {
        for (let i = 0; i < 12; i++) {
          const activityType = random.chance(0.7) ? 'INDIVIDUEL' : random.chance(0.5) ? 'COLLECTIF' : 'PONCTUEL';
          tx.create(Cra, {
            conseillerId: person.id,
            structureId: person.structureId!,
            date: `2024-${String(random.int(1, 10)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
            activityType,
            channel: random.pick(CRA_CHANNELS),
            participants: activityType === 'COLLECTIF' ? random.int(3, 12) : 1,
            durationMinutes: random.pick([30, 45, 60, 90, 120]),
          });
        }
      }
    });
  }
}
