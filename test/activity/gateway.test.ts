import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createCra } from '../support/factories/activity.js';
import { createConseiller, createStructure } from '../support/factories/recruitment.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/** Activity's extensions of recruitment's entities, answered through the gateway. */
let system: TestSystem;
let admin: Record<string, string>;
beforeAll(async () => {
  system = await startTestSystem();
  admin = await system.bearer({ sub: 'activity-gateway', role: 'admin' });
});
afterAll(async () => {
  await system?.stop();
});

describe('through the gateway', () => {
  test('a structure, its advisor and its département carry their activity statistics', async () => {
    const structure = await createStructure(system.orms.recruitment, {});
    const advisor = await createConseiller(system.orms.recruitment, { structureId: structure.id });
    await createCra(system.orms.activity, { conseillerId: advisor.id, structureId: structure.id, date: '2024-03-04' });
    await createCra(system.orms.activity, { conseillerId: advisor.id, structureId: structure.id, date: '2024-04-10', participants: 5, durationMinutes: 120 });

    const response = await system.query(
      `query ($id: ID!) { structure(id: $id) {
         cras(last: 1) { date participants }
         craStatistics(from: "2024-01-01", to: "2024-12-31") { totals { reports workshops participants minutes } durations { key percent } }
         conseillers { craActivity(asOf: "2024-04-20") { group lastReportDate reports } craStatistics(from: "2024-04-01", to: "2024-04-30") { totals { reports } } } } }`,
      { id: String(structure.id) },
      admin,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      structure: {
        cras: [{ date: '2024-04-10', participants: 5 }],
        craStatistics: {
          totals: { reports: 2, workshops: 1, participants: 6, minutes: 180 },
          durations: [
            { key: 'MINUTES_0_30', percent: 0 },
            { key: 'MINUTES_30_60', percent: 50 },
            { key: 'MINUTES_60_120', percent: 0 },
            { key: 'MINUTES_120_PLUS', percent: 50 },
          ],
        },
        conseillers: [{ craActivity: { group: 'ACTIVE', lastReportDate: '2024-04-10', reports: 2 }, craStatistics: { totals: { reports: 1 } } }],
      },
    });

    const territory = await system.query(`{ departement(code: "13") { name craStatistics(from: "2020-01-01", to: "2026-01-01") { totals { reports } } } }`, undefined, admin);
    expect(territory.errors).toBeUndefined();
    const data = territory.data as { departement: { name: string; craStatistics: { totals: { reports: number } } } };
    expect(data.departement.name).toBe('Bouches-du-Rhône');
    expect(data.departement.craStatistics.totals.reports).toBeGreaterThanOrEqual(2);
  });
});
