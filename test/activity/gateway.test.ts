import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createConseiller, createStructure } from '../support/factories/recruitment.js';
import { uniqueId } from '../support/ids.js';
import { craInput, createCra } from '../support/factories/activity.js';
import { failsWith, succeeds } from '../support/graphql.js';
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
    await createCra(system.orms.activity, {
      conseillerId: advisor.id,
      structureId: structure.id,
      date: '2024-04-10',
      participants: 5,
      durationMinutes: 120,
    });

    const data = await succeeds(
      system.query(
        `query ($id: ID!) { structure(id: $id) {
         cras(last: 1) { date participants }
         craStatistics(from: "2024-01-01", to: "2024-12-31") { totals { reports workshops participants minutes } durations { key percent } }
         conseillers { craActivity(asOf: "2024-04-20") { group lastReportDate reports } craStatistics(from: "2024-04-01", to: "2024-04-30") { totals { reports } } } } }`,
        { id: String(structure.id) },
        admin,
      ),
    );
    expect(data).toEqual({
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
        conseillers: [
          { craActivity: { group: 'ACTIVE', lastReportDate: '2024-04-10', reports: 2 }, craStatistics: { totals: { reports: 1 } } },
        ],
      },
    });

    const territory = await succeeds(
      system.query(
        `{ departement(code: "13") { name craStatistics(from: "2020-01-01", to: "2026-01-01") { totals { reports } } } }`,
        undefined,
        admin,
      ),
    );
    expect(territory.departement.name).toBe('Bouches-du-Rhône');
    expect(territory.departement.craStatistics.totals.reports).toBeGreaterThanOrEqual(2);
  });
});

describe('row-level rules, end to end (signed identities from the gateway)', () => {
  test('a préfet sees the sessions of its territory, anonymous callers the public figures only, an advisor writes its own reports', async () => {
    const conseillerId = String(uniqueId());
    const structureId = String(uniqueId());
    await createCra(system.orms.activity, { conseillerId, structureId, date: '2024-03-04' });
    await createCra(system.orms.activity, { conseillerId, structureId, date: '2024-03-05', communeCode: '75056', postalCode: '75001' });
    const QUERY = `query ($id: ID!) {
      cras(filter: { conseillerId: $id }) { totalCount edges { node { departementCode } } }
      craStatistics(filter: { from: "2024-01-01", to: "2024-12-31", conseillerId: $id }) { totals { reports } } }`;
    const prefet = await system.bearer({ sub: 'activity-prefet-75', role: 'prefet', departements: ['75'] });
    const seen = await succeeds(system.query(QUERY, { id: conseillerId }, prefet));
    expect(seen).toEqual({
      cras: { totalCount: 1, edges: [{ node: { departementCode: '75' } }] },
      craStatistics: { totals: { reports: 1 } },
    });

    // Anonymous: the reports are refused at the gateway; statistics about an advisor count nothing, public ones answer.
    await failsWith('UNAUTHENTICATED', system.query(QUERY, { id: conseillerId }));
    const { mine, paris } = await succeeds(
      system.query(
        `query ($id: ID!) { mine: craStatistics(filter: { from: "2024-01-01", to: "2024-12-31", conseillerId: $id }) { totals { reports } }
        paris: craStatistics(filter: { from: "2024-03-05", to: "2024-03-05", communeCode: "75056" }) { totals { reports } } }`,
        { id: conseillerId },
      ),
    );
    expect(mine.totals.reports).toBe(0);
    expect(paris.totals.reports).toBeGreaterThanOrEqual(1);

    // The advisor files its own report; not one for another advisor.
    const me = await system.bearer({ sub: 'activity-advisor', role: 'conseiller', conseiller_ids: [Number(conseillerId)] });
    const FILE = `mutation ($input: CraInput!) { fileCra(input: $input) { cra { id } } }`;
    await succeeds(system.query(FILE, { input: craInput({ conseillerId }) }, me));
    await failsWith('FORBIDDEN', system.query(FILE, { input: craInput({ conseillerId: String(uniqueId()) }) }, me));
  });
});
