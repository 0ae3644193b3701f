import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { MikroORM } from '../../common/db.js';
import { contractSigned } from '../../common/events/catalogue.js';
import type { EventEnvelope } from '../../common/events/event.js';
import { deliver } from '../../common/events/inbox.js';
import { OutboxEvent } from '../../common/events/outbox.js';
import { openSubgraphOrm, startSubgraph, type RunningSubgraph } from '../../common/server.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { contractState } from '../support/events.js';

/**
 * GET /events of a subgraph (common/events/figures.ts): per consumer, the lag from an event's commit (`occurredAt`)
 * to its inbox row over the last minutes, the parked count, and the outbox backlog; figures only, for anyone who can
 * reach the port (as /ready). On a database of its own, so the figures are this file's.
 */

let database: TestDatabase;
let conventions: MikroORM;
let server: RunningSubgraph;
let base: string;

beforeAll(async () => {
  database = await createTestDatabase('conum_event_figures', { migrated: true });
  conventions = await openSubgraphOrm(subgraphs.conventions, database.url, 2);
  await conventions.migrator.up();
  server = await startSubgraph(subgraphs.conventions, conventions, { gatewaySecret: 'x'.repeat(32) });
  base = server.url.replace(/\/graphql$/, '');
});

afterAll(async () => {
  await server?.stop();
  await conventions?.close();
  await database?.drop();
});

const contracts = subgraphs.conventions.consumers!.find((c) => c.name === 'conventions.recruitment-contracts')!;
const envelope = (secondsAgo: number, payload: unknown): EventEnvelope => ({
  id: randomUUID(),
  type: contractSigned.type,
  version: contractSigned.version,
  aggregateId: String(payload && typeof payload === 'object' && 'miseEnRelationId' in payload ? payload.miseEnRelationId : 0),
  occurredAt: new Date(Date.now() - secondsAgo * 1000).toISOString(),
  payload,
});

test('GET /events gives each consumer its lag, parked count, and the outbox backlog, without payloads', async () => {
  // Four events that committed 1, 2, 3 and 10 s before they were applied; one unreadable.
  for (const [i, secondsAgo] of [1, 2, 3, 10].entries())
    expect(
      await deliver(
        conventions.em,
        contracts,
        envelope(secondsAgo, contractState({ miseEnRelationId: i + 1, conseillerId: 50 + i, structureId: 9 })),
      ),
    ).toBe('applied');
  expect(await deliver(conventions.em, contracts, envelope(0, { miseEnRelationId: 'x', secret: 'nobody should read this' }))).toBe(
    'parked',
  );
  // Conventions' own outbox: one event waiting for a minute.
  await conventions.em.fork().transactional(async (tx) => {
    tx.create(OutboxEvent, {
      eventId: randomUUID(),
      type: 'conventions.test',
      version: 1,
      aggregateId: '1',
      occurredAt: new Date(Date.now() - 60_000),
      payload: {},
    });
  });

  const res = await fetch(`${base}/events`);
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(JSON.stringify(body)).not.toContain('nobody should read this');
  expect(body.windowMinutes).toBe(5);
  expect(body.outbox.unpublished).toBe(1);
  expect(body.outbox.oldestAgeSeconds).toBeGreaterThanOrEqual(60);
  expect(body.consumers.map((c: { consumer: string }) => c.consumer)).toEqual(subgraphs.conventions.consumers!.map((c) => c.name));
  const figures = body.consumers.find((c: { consumer: string }) => c.consumer === contracts.name);
  expect(figures).toMatchObject({ applied: 4, parked: 1 });
  // Percentiles interpolate between the lags (about 1, 2, 3 and 10 s; the deliveries themselves take a few ms).
  expect(figures.lagP50).toBeGreaterThanOrEqual(2.5);
  expect(figures.lagP50).toBeLessThan(3);
  expect(figures.lagP99).toBeGreaterThan(9.5);
  expect(figures.lagMax).toBeGreaterThanOrEqual(10);
  expect(figures.lagMax).toBeLessThan(11);
  const idle = body.consumers.find((c: { consumer: string }) => c.consumer === 'conventions.transfer-posts');
  expect(idle).toEqual({ consumer: 'conventions.transfer-posts', applied: 0, lagP50: null, lagP99: null, lagMax: null, parked: 0 });

  // A window of events applied in the last minute holds them; a bad window is refused.
  expect(
    (await (await fetch(`${base}/events?minutes=1`)).json()).consumers.find((c: { consumer: string }) => c.consumer === contracts.name)
      .applied,
  ).toBe(4);
  expect((await fetch(`${base}/events?minutes=abc`)).status).toBe(400);
});
