import type { EntityManager } from '@mikro-orm/core';
import type { EntityManager as PgEntityManager } from '@mikro-orm/postgresql';
import { Seeder } from '@mikro-orm/seeder';
import { addDays, maxDate, minDate } from '../../../common/calendar.js';
import { seededRandom } from '../../../common/demo/random.js';
import { RecruitmentContract, RecruitmentStructure } from '../../../common/events/copies.js';
import { createLogger } from '../../../common/logger.js';
import { SYSTEM_ADMIN } from '../../../common/viewer.js';
import { communeByCode } from '../rules/cra-validation.js';
import { fileCras } from '../services/cra.service.js';
import { createPlace } from '../services/place.service.js';
import { MONTH_SEASONALITY, randomCraInput } from './random-cra.js';

const log = createLogger('activity-seed');
const WEEKDAY_HOURS = { morningOpens: '09:00', morningCloses: '12:30', afternoonOpens: '13:30', afternoonCloses: '17:30' };
/** The days the demo reports cover. */
const FIRST_DAY = '2024-01-01';
const LAST_DAY = '2024-11-15';

/**
 * For the shared demo world, from activity's copy of recruitment's structures and contracts (filled by recruitment's
 * events before this seeder runs): one place of activity per structure employing advisors in 2024, and each
 * advisor's reports within its employment (from its start, or 2024-01-01, to its end or rupture, or 2024-11-15),
 * through the same services as the API (aggregates included), as the system administrator.
 */
export class DemoSeeder extends Seeder {
  async run(coreEm: EntityManager): Promise<void> {
    const em = coreEm as PgEntityManager;
    const random = seededRandom(4);
    const contracts = await em.find(
      RecruitmentContract,
      { employedFrom: { $ne: null, $lte: LAST_DAY }, $or: [{ employedUntil: null }, { employedUntil: { $gte: FIRST_DAY } }] },
      { orderBy: { conseillerId: 'asc', employedFrom: 'asc', miseEnRelationId: 'asc' } },
    );
    // Seeded before recruitment's events arrived, activity would hold no report: say so rather than look empty.
    if (contracts.length === 0)
      log.warn("activity's copy of recruitment's contracts employs nobody in 2024: no report seeded (deliver recruitment's events first)");
    const structures = new Map(
      (await em.find(RecruitmentStructure, { structureId: { $in: [...new Set(contracts.map((c) => c.structureId))] } })).map((s) => [
        s.structureId,
        s,
      ]),
    );
    const placeOf = new Map<number, number>();
    for (const [structureId, structure] of structures) {
      const commune = communeByCode(structure.communeCode)!;
      const advisors = [...new Set(contracts.filter((c) => c.structureId === structureId).map((c) => c.conseillerId))];
      const place = await createPlace(em, SYSTEM_ADMIN, {
        place: {
          structureId,
          name: structure.name,
          isStructureSite: true,
          street: 'Place de la Mairie',
          streetNumber: String(random.int(1, 40)),
          postalCode: commune.codesPostaux?.[0] ?? '00000',
          communeCode: commune.code,
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
          conseillers: advisors.map((conseillerId) => ({ conseillerId, mainPlace: true })),
        },
      });
      placeOf.set(structureId, place.id);
    }
    for (const [index, contract] of contracts.entries()) {
      const structure = structures.get(contract.structureId)!;
      const commune = communeByCode(structure.communeCode)!;
      const next = contracts[index + 1]?.conseillerId === contract.conseillerId ? contracts[index + 1] : undefined;
      const start = maxDate(contract.employedFrom!, FIRST_DAY);
      // A day two contracts share (a renewal starting the day its contract ends) belongs to the later one.
      let end = minDate(LAST_DAY, contract.employedUntil ?? LAST_DAY);
      if (next) end = minDate(end, addDays(next.employedFrom!, -1));
      const inputs = [];
      for (let day = new Date(`${start}T00:00:00Z`); day <= new Date(`${end}T00:00:00Z`); day.setUTCDate(day.getUTCDate() + 1)) {
        const weekday = day.getUTCDay();
        if (weekday === 0 || weekday === 6 || !random.chance(0.25 * MONTH_SEASONALITY[day.getUTCMonth()]!)) continue;
        const atPlace = random.chance(0.8);
        inputs.push(
          randomCraInput(random, {
            conseillerId: contract.conseillerId,
            commune,
            placeId: atPlace ? placeOf.get(contract.structureId) : null,
            date: day.toISOString().slice(0, 10),
          }),
        );
      }
      if (inputs.length > 0) await fileCras(em, SYSTEM_ADMIN, { cras: inputs, today: LAST_DAY });
    }
  }
}
