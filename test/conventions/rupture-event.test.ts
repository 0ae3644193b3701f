import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { CONTRACT_EVENTS } from '../../common/events/catalogue.js';
import { deliver, InboxEntry } from '../../common/events/inbox.js';
import { envelopeOfRow, OutboxEvent } from '../../common/events/outbox.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import { freePostOnRupture } from '../../subgraphs/conventions/consumers/free-post-on-rupture.js';
import { EmploymentContract, Post } from '../../subgraphs/conventions/entities/index.js';
import { recordEmploymentContract } from '../../subgraphs/conventions/services/post.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';
import { createConvention } from '../support/factories/conventions.js';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { succeeds } from '../support/graphql.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { cdd, contractOf } from '../recruitment/helpers.js';

/**
 * Recruitment owns the rupture; conventions follows it (issue 14): validating a rupture publishes
 * `recruitment.rupture-validated`, and conventions frees the funded post the advisor held, its contract ended on the
 * rupture date, with no second entry by hand. Through the whole system with the in-process relay, on a database of
 * its own (the relay would otherwise apply other files' events).
 */

let database: TestDatabase;
let system: TestSystem;
beforeAll(async () => {
  database = await createTestDatabase('conum_rupture_event', { migrated: true });
  system = await startTestSystem({ databaseUrl: database.url, events: { pollMs: 20, backoffMs: 20 } });
});
afterAll(async () => {
  await system?.stop();
  await database?.drop();
});

const DECLARE_RUPTURE = `mutation ($id: ID!, $date: Date!) { declareRupture(input: { miseEnRelationId: $id, date: $date, reason: DEMISSION }) { miseEnRelation { status } } }`;
const VALIDATE_RUPTURE = `mutation ($id: ID!) { validateRupture(input: { miseEnRelationId: $id }) { miseEnRelation { status } } }`;

test('validating a rupture frees the funded post in conventions, once however often the event is delivered', async () => {
  const { recruitment, conventions } = system.orms;
  const structure = await createStructure(recruitment, { postQuota: 1 });
  const advisor = await createConseiller(recruitment, { structureId: structure.id });
  const contract = cdd('2025-01-06', '2026-01-05');
  const mer = await createMiseEnRelation(recruitment, {
    structureId: structure.id,
    conseillerId: advisor.id,
    status: 'FINALISEE',
    ...contractOf(contract),
  });
  const convention = await createConvention(conventions, {
    structureId: structure.id,
    startDate: '2025-01-01',
    attributionDate: '2024-12-01',
  });
  const post = await conventions.em.fork().findOneOrFail(Post, { convention: convention.id });
  await recordEmploymentContract(conventions.em.fork(), SYSTEM_ADMIN, {
    postId: post.id,
    conseillerId: advisor.id,
    type: 'CDD',
    startDate: contract.startDate,
    endDate: contract.endDate,
    receivedOn: '2025-01-10',
  });

  const declared = await succeeds(system.querySubgraph('recruitment', DECLARE_RUPTURE, { id: mer.id, date: '2025-06-30' }));
  expect(declared.declareRupture.miseEnRelation.status).toBe('NOUVELLE_RUPTURE');
  // Declaring is not validating: only the declaration is published so far.
  const contractEvents = () =>
    recruitment.em
      .fork()
      .find(OutboxEvent, { aggregateId: String(mer.id), type: { $in: CONTRACT_EVENTS.map((e) => e.type) } }, { orderBy: { seq: 'asc' } });
  expect((await contractEvents()).map((e) => e.type)).toEqual(['recruitment.rupture-declared']);
  const validated = await succeeds(system.querySubgraph('recruitment', VALIDATE_RUPTURE, { id: mer.id }));
  expect(validated.validateRupture.miseEnRelation.status).toBe('FINALISEE_RUPTURE');

  const [, event] = await contractEvents();
  expect(event).toMatchObject({
    type: 'recruitment.rupture-validated',
    version: 2,
    payload: { miseEnRelationId: mer.id, conseillerId: advisor.id, structureId: structure.id, ruptureDate: '2025-06-30' },
  });

  const postNow = () => conventions.em.fork().findOneOrFail(Post, post.id);
  const contractNow = () => conventions.em.fork().findOneOrFail(EmploymentContract, { post: post.id, conseillerId: advisor.id });
  await eventually(async () => expect(await postNow()).toMatchObject({ state: 'VACANT', conseillerId: null }));
  const ended = await contractNow();
  expect(ended.endedEarlyOn).toBe('2025-06-30');
  const updatedAt = (await postNow()).updatedAt;

  // The same event delivered twice more (a redelivery, a replay): the inbox has it, nothing changes.
  const envelope = envelopeOfRow(event!);
  expect(await deliver(conventions.em, freePostOnRupture, envelope)).toBe('duplicate');
  expect(await deliver(conventions.em, freePostOnRupture, envelope)).toBe('duplicate');
  expect(await postNow()).toMatchObject({ state: 'VACANT', conseillerId: null, updatedAt });
  expect((await contractNow()).endedEarlyOn).toBe('2025-06-30');
  // Applied once by each conventions consumer of it: the contracts copy and the post's effect.
  const inbox = await conventions.em.fork().find(InboxEntry, { eventId: envelope.id }, { orderBy: { consumer: 'asc' } });
  expect(inbox.map((e) => [e.consumer, e.appliedAt !== null, e.parkedAt])).toEqual([
    ['conventions.free-post-on-rupture', true, null],
    ['conventions.recruitment-contracts', true, null],
  ]);
});
