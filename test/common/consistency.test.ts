import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { MikroORM } from '../../common/db.js';
import type { SubgraphName } from '../../common/env.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { drainEvents, startEventBus } from '../../common/events/bus.js';
import { consumes, deliver, InboxEntry } from '../../common/events/inbox.js';
import { envelopeOfRow, OutboxEvent } from '../../common/events/outbox.js';
import { openSubgraphOrm, prepareDatabases } from '../../common/server.js';
import { eventNodes, subgraphs } from '../../subgraphs/registry.js';
import { checkConsistency } from '../../scripts/check-consistency.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FOLLOWER_JOURNEYS, RECRUITMENT_JOURNEYS, runJourneys } from '../support/journeys.js';

/**
 * One programme, four subgraphs (issue 14): the demo world is seeded through recruitment's events, and stays
 * consistent after hundreds of random journeys through the owners' steps, as `npm run check:consistency` sees it.
 * On a database of its own: the check reads every row. The last test adds the faults of the in-process transport (the
 * NATS ones are test/common/events-faults.test.ts's, on a server of its own).
 */

let database: TestDatabase;
const orms = {} as Record<SubgraphName, MikroORM>;
const nodes = () => eventNodes(Object.values(subgraphs).map((d) => ({ name: d.name, orm: orms[d.name] })));
beforeAll(async () => {
  database = await createTestDatabase('conum_consistency', { migrated: true });
  for (const definition of Object.values(subgraphs)) orms[definition.name] = await openSubgraphOrm(definition, database.url, 2);
  await prepareDatabases(
    Object.values(subgraphs).map((definition) => ({ definition, orm: orms[definition.name] })),
    true,
  );
}, 300_000);
afterAll(async () => {
  for (const orm of Object.values(orms)) await orm.close();
  await database?.drop();
});

test('the demo world, seeded through the events, is consistent', async () => {
  const report = await checkConsistency(orms);
  expect(report.pairs.map((p) => p.copy)).toEqual(['conventions', 'training', 'activity']);
  expect(report.pairs[0]!.structures).toBeGreaterThan(100);
  expect(report.pairs[0]!.contracts).toBeGreaterThan(100);
  expect(report.pairs.flatMap((p) => p.mismatches)).toEqual([]);
});

test('a copy edited behind the events is reported, field by field', async () => {
  const em = orms.training.em.fork();
  const [row] = await em
    .getConnection()
    .execute<{ structure_id: number; advisor_posts: number }[]>(
      `update training.recruitment_structure set advisor_posts = advisor_posts + 7 where structure_id = (select min(structure_id) from training.recruitment_structure) returning structure_id, advisor_posts`,
    );
  const report = await checkConsistency(orms);
  expect(report.mismatches).toBe(1);
  expect(report.pairs[1]!.mismatches[0]).toMatchObject({
    copy: 'training',
    fact: 'structure',
    id: row!.structure_id,
    detail: expect.stringContaining(`advisorPosts: ${row!.advisor_posts - 7} → ${row!.advisor_posts}`),
  });
  await em
    .getConnection()
    .execute(`update training.recruitment_structure set advisor_posts = advisor_posts - 7 where structure_id = ?`, [row!.structure_id]);
});

test('hundreds of random journeys through the owners’ steps leave every pair consistent', async () => {
  const { completed, refused } = await runJourneys(
    orms,
    { ...RECRUITMENT_JOURNEYS, ...FOLLOWER_JOURNEYS },
    { count: 300, between: () => drainEvents(nodes()) },
  );
  await drainEvents(nodes());
  expect(completed).toBeGreaterThan(150);
  // Every event applied: none parked on the way.
  const parked = [];
  for (const orm of Object.values(orms))
    parked.push(...(await orm.em.fork().find(InboxEntry, { parkedAt: { $ne: null } })).map((e) => `${e.consumer}: ${e.error}`));
  expect(parked).toEqual([]);
  const report = await checkConsistency(orms);
  expect(report.pairs.flatMap((p) => p.mismatches)).toEqual([]);
  console.log(`journeys: ${completed} completed, ${refused} refused by the rules; ${report.pairs[0]!.contracts} contracts compared`);
}, 600_000);

test('a bus stopped mid-stream and started again, and every event delivered once more, leave every pair consistent', async () => {
  const journeys = { ...RECRUITMENT_JOURNEYS, ...FOLLOWER_JOURNEYS };
  let bus = await startEventBus(nodes(), { pollMs: 10, backoffMs: 10 });
  try {
    await runJourneys(orms, journeys, { count: 40, seed: 41 });
    // The consumers' process dies while events flow, then comes back and catches up from its outboxes.
    await bus.stop();
    await runJourneys(orms, journeys, { count: 40, seed: 42 });
    bus = await startEventBus(nodes(), { pollMs: 10, backoffMs: 10 });
    await runJourneys(orms, journeys, { count: 40, seed: 43 });
  } finally {
    await bus.stop();
  }
  await drainEvents(nodes());
  // Every event of recruitment's outbox delivered again to every consumer: each is a duplicate, nothing changes.
  const events = (await orms.recruitment.em.fork().find(OutboxEvent, {}, { orderBy: { seq: 'asc' } })).map(envelopeOfRow);
  const deliveries = new Set<string>();
  for (const node of nodes())
    for (const consumer of node.consumers)
      for (const event of events.filter((e) => consumes(consumer, e.type)))
        deliveries.add(await deliver(node.orm.em as EntityManager, consumer, event));
  expect([...deliveries]).toEqual(['duplicate']);
  const report = await checkConsistency(orms);
  expect(report.pairs.flatMap((p) => p.mismatches)).toEqual([]);
}, 600_000);
