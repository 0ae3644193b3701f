import type { EntityManager } from '@mikro-orm/core';
import type { EntityManager as PgEntityManager } from '@mikro-orm/postgresql';
import { Seeder } from '@mikro-orm/seeder';
import { demoWorld, type SeedContext } from '../../../common/demo/world.js';
import { seededRandom } from '../../../common/demo/random.js';
import { SYSTEM_ADMIN } from '../../../common/viewer.js';
import { fileCras } from '../services/cra.service.js';
import { createPlace } from '../services/place.service.js';
import { MONTH_SEASONALITY, randomCraInput } from './random-cra.js';

const WEEKDAY_HOURS = { morningOpens: '09:00', morningCloses: '12:30', afternoonOpens: '13:30', afternoonCloses: '17:30' };

/**
 * For the shared demo world: one place of activity per structure with advisors in post, and their reports from
 * their start date (or 2024-01-01) to 2024-11-15, through the same services as the API (aggregates included), as the system administrator.
 */
export class DemoSeeder extends Seeder {
  async run(coreEm: EntityManager, context?: SeedContext): Promise<void> {
    const em = coreEm as PgEntityManager;
    const world = context?.world ?? demoWorld();
    const random = seededRandom(4);
    const inPost = world.people.filter((p) => p.status === 'RECRUTE' && p.structureId);
    const placeOf = new Map<number, number>();
    for (const structure of world.structures) {
      const advisors = inPost.filter((p) => p.structureId === structure.id);
      if (advisors.length === 0) continue;
      const place = await createPlace(em, SYSTEM_ADMIN, {
        place: {
          structureId: structure.id,
          name: structure.name,
          isStructureSite: true,
          street: 'Place de la Mairie',
          streetNumber: String(random.int(1, 40)),
          postalCode: structure.commune.codesPostaux?.[0] ?? '00000',
          communeCode: structure.commune.code,
          openingHours: [
            WEEKDAY_HOURS,
            WEEKDAY_HOURS,
            { morningOpens: '09:00', morningCloses: '12:00' },
            WEEKDAY_HOURS,
            WEEKDAY_HOURS,
            {},
            {},
          ],
          accessTypes: random.chance(0.5) ? ['LIBRE', 'RDV'] : ['RDV'],
          conseillers: advisors.map((a) => ({ conseillerId: a.id, mainPlace: true })),
        },
      });
      placeOf.set(structure.id, place.id);
    }
    for (const person of inPost) {
      const structure = world.structures.find((s) => s.id === person.structureId)!;
      const start = person.startDate! > '2024-01-01' ? person.startDate! : '2024-01-01';
      const inputs = [];
      for (let day = new Date(`${start}T00:00:00Z`); day <= new Date('2024-11-15T00:00:00Z'); day.setUTCDate(day.getUTCDate() + 1)) {
        const weekday = day.getUTCDay();
        if (weekday === 0 || weekday === 6 || !random.chance(0.25 * MONTH_SEASONALITY[day.getUTCMonth()]!)) continue;
        const atPlace = random.chance(0.8);
        inputs.push(
          randomCraInput(random, {
            conseillerId: person.id,
            structureId: structure.id,
            commune: atPlace ? structure.commune : person.commune,
            placeId: atPlace ? placeOf.get(structure.id) : null,
            date: day.toISOString().slice(0, 10),
          }),
        );
      }
      if (inputs.length > 0) await fileCras(em, SYSTEM_ADMIN, { cras: inputs, today: '2024-11-15' });
    }
  }
}
