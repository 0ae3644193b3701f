import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { migrate, type MikroORM } from '../../common/db.js';
import { drainEvents } from '../../common/events/bus.js';
import { openSubgraphOrm, prepareDatabase } from '../../common/server.js';
import { generateReports } from '../../subgraphs/activity/seeders/national.js';
import { eventNodes, subgraphs } from '../../subgraphs/registry.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The demo seed and the national generator file reports only within each advisor's employment, as activity's copy
 * of recruitment's contracts holds it: recruitment seeds its world (publishing every contract), its events are
 * delivered, then activity seeds from the copy.
 */
let database: TestDatabase;
let recruitment: MikroORM;
let activity: MikroORM;
beforeAll(async () => {
  database = await createTestDatabase('conum_activity_seed', { migrated: true });
  recruitment = await openSubgraphOrm(subgraphs.recruitment, database.url, 2);
  activity = await openSubgraphOrm(subgraphs.activity, database.url, 2);
  await migrate(activity);
  expect(await prepareDatabase(subgraphs.recruitment, recruitment, true)).toMatchObject({ seeded: true });
  expect(
    await drainEvents(
      eventNodes([
        { name: 'recruitment', orm: recruitment },
        { name: 'activity', orm: activity },
      ]),
    ),
  ).toBeGreaterThan(0);
  expect(await prepareDatabase(subgraphs.activity, activity, true)).toMatchObject({ seeded: true });
}, 300_000);
afterAll(async () => {
  await recruitment?.close();
  await activity?.close();
  await database?.drop();
});

/** Reports whose date no contract of their advisor at their structure covers (with the reason), and the totals. */
async function outsideEmployment(orm: MikroORM) {
  const connection = orm.em.fork().getConnection();
  const [totals] = await connection.execute<{ reports: number; advisors: number; structures: number }[]>(
    `select count(*)::int reports, count(distinct conseiller_id)::int advisors, count(distinct structure_id)::int structures from activity.cra`,
  );
  const outside = await connection.execute(
    `select c.id, c.conseiller_id, c.structure_id, to_char(c.date, 'YYYY-MM-DD') date from activity.cra c
     where not exists (select 1 from activity.recruitment_contract k where k.conseiller_id = c.conseiller_id and k.structure_id = c.structure_id
       and k.employed_from <= c.date and (k.employed_until is null or k.employed_until >= c.date)) limit 5`,
  );
  const strangers = await connection.execute(
    `select pc.conseiller_id, p.structure_id from activity.place_conseiller pc join activity.place p on p.id = pc.place_id
     where not exists (select 1 from activity.recruitment_contract k where k.conseiller_id = pc.conseiller_id and k.structure_id = p.structure_id
       and k.employed_from is not null) limit 5`,
  );
  return { totals: totals!, outside, strangers };
}

describe('activity seeds from its copy of recruitment contracts', () => {
  test('the demo seed files every report within its advisor employment, at its employer, and places list their structures advisors', async () => {
    const { totals, outside, strangers } = await outsideEmployment(activity);
    expect(totals.reports).toBeGreaterThan(1000);
    expect(totals.advisors).toBeGreaterThan(10);
    expect(outside).toEqual([]);
    expect(strangers).toEqual([]);
  });

  test('the national generator reads who works where from the copy, and files within it', async () => {
    const filed = await generateReports(database.url, { fromCopy: true, reports: 5000 });
    expect(filed).toBeGreaterThan(4000);
    const { totals, outside, strangers } = await outsideEmployment(activity);
    expect(totals.reports).toBe(filed);
    expect(outside).toEqual([]);
    expect(strangers).toEqual([]);
  }, 120_000);
});
