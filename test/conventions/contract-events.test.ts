import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { today } from '../../common/calendar.js';
import {
  contractEnded,
  contractExtended,
  contractRenewed,
  contractSigned,
  ruptureValidated,
  structureDecided,
  type ContractState,
} from '../../common/events/catalogue.js';
import { InboxEntry } from '../../common/events/inbox.js';
import { envelopeOfRow, OutboxEvent } from '../../common/events/outbox.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import { EmploymentContract, Post } from '../../subgraphs/conventions/entities/index.js';
import { moveDsFile, renewConvention, signConvention } from '../../subgraphs/conventions/services/convention.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { contractState, envelope, feed, feedEnvelope, structureState } from '../support/events.js';
import { eventually } from '../support/eventually.js';
import { createConvention, employInConventions } from '../support/factories/conventions.js';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { succeeds } from '../support/graphql.js';
import { uniqueId } from '../support/ids.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { cdd, contractOf } from '../recruitment/helpers.js';

/**
 * Recruitment owns the contracts; conventions derives its contracts received from them (issue 14): signed,
 * extended, rupture validated, ended, renewed, each reaches the funded posts with no entry by hand. Through the
 * whole system with the in-process relay, on a database of its own (the relay would otherwise apply other files'
 * events). Where recruitment publishes already (validateRupture), its real mutations; elsewhere its events, fed as
 * it publishes them.
 */

let database: TestDatabase;
let system: TestSystem;
beforeAll(async () => {
  database = await createTestDatabase('conum_contract_events', { migrated: true });
  system = await startTestSystem({ databaseUrl: database.url, events: { pollMs: 20, backoffMs: 20 } });
});
afterAll(async () => {
  await system?.stop();
  await database?.drop();
});

const conventions = () => system.orms.conventions;
const em = () => conventions().em.fork();

const CONVENTION = /* GraphQL */ `
  query ($id: ID!) {
    convention(id: $id) {
      posts {
        id
        state
        conseiller {
          id
        }
        contracts {
          type
          startDate
          endDate
          receivedOn
          endedEarlyOn
          conseiller {
            id
          }
        }
      }
      tranches {
        rank
        status
      }
    }
  }
`;
type Seen = {
  convention: {
    posts: {
      id: string;
      state: string;
      conseiller: { id: string } | null;
      contracts: { type: string; startDate: string; endDate: string | null; receivedOn: string; endedEarlyOn: string | null }[];
    }[];
    tranches: { rank: number; status: string }[];
  };
};
const seen = async (conventionId: number) =>
  (await succeeds<Seen>(system.querySubgraph('conventions', CONVENTION, { id: conventionId }))).convention;

/** A validated structure (its copy in conventions) with a signed 18-month agreement from 2025-01-01. */
async function fundedStructure(posts = 1, structureId = uniqueId()) {
  await feed(conventions(), 'conventions', structureDecided, structureId, structureState({ structureId, advisorPosts: posts }));
  const convention = await createConvention(conventions(), {
    structureId,
    startDate: '2025-01-01',
    attributionDate: '2024-12-01',
    advisorPosts: posts,
  });
  return { structureId, convention };
}

const cddOf = (startDate: string, endDate: string) => ({ type: 'CDD' as const, startDate, endDate, grossMonthlySalaryCents: 180_000 });

describe('a contract signed in recruitment is received in conventions', () => {
  test('signature: the post is OCCUPE, the contract received with its dates, and the first tranche becomes due', async () => {
    const { structureId, convention } = await fundedStructure();
    const before = await seen(convention.id);
    expect(before.posts).toMatchObject([{ state: 'VACANT', conseiller: null, contracts: [] }]);
    expect(before.tranches[0]).toEqual({ rank: 1, status: 'BLOCKED' });

    const state = contractState({
      miseEnRelationId: uniqueId(),
      conseillerId: uniqueId(),
      structureId,
      contract: cddOf('2025-01-06', '2026-01-05'),
    });
    expect(await feed(conventions(), 'conventions', contractSigned, state.miseEnRelationId, state)).toEqual(['applied', 'applied']);

    const after = await seen(convention.id);
    expect(after.posts).toEqual([
      {
        id: before.posts[0]!.id,
        state: 'OCCUPE',
        conseiller: { id: String(state.conseillerId) },
        contracts: [
          {
            type: 'CDD',
            startDate: '2025-01-06',
            endDate: '2026-01-05',
            receivedOn: today(),
            endedEarlyOn: null,
            conseiller: { id: String(state.conseillerId) },
          },
        ],
      },
    ]);
    // Due at signature (2025-01-01), its year covered by the contract received.
    expect(after.tranches[0]).toEqual({ rank: 1, status: 'DUE' });
  });

  test('extension: the contract received ends on the new end date, the advisor still in post', async () => {
    const { structureId, convention } = await fundedStructure();
    const employed = await employInConventions(conventions(), { structureId, startDate: '2025-01-06', endDate: '2025-12-31' });
    const extended: ContractState = { ...employed.state, contract: cddOf('2025-01-06', '2026-06-30') };
    await feed(conventions(), 'conventions', contractExtended, extended.miseEnRelationId, extended);
    const [post] = (await seen(convention.id)).posts;
    expect(post).toMatchObject({ state: 'OCCUPE', contracts: [{ startDate: '2025-01-06', endDate: '2026-06-30', endedEarlyOn: null }] });
  });

  test('natural end: the post is VACANT, the contract received kept with its dates', async () => {
    const { structureId, convention } = await fundedStructure();
    const employed = await employInConventions(conventions(), { structureId, startDate: '2025-01-06', endDate: '2025-12-31' });
    const ended: ContractState = { ...employed.state, status: 'TERMINEE_NATURELLE' };
    await feed(conventions(), 'conventions', contractEnded, ended.miseEnRelationId, ended);
    const [post] = (await seen(convention.id)).posts;
    expect(post).toMatchObject({ state: 'VACANT', conseiller: null, contracts: [{ endDate: '2025-12-31', endedEarlyOn: null }] });
  });

  test('a contract signed before the agreement is signed is received at the signature', async () => {
    const structureId = uniqueId();
    const employed = await employInConventions(conventions(), { structureId, startDate: '2025-01-06', endDate: '2026-01-05' });
    expect(employed.contract).toBeNull();
    const { convention } = await fundedStructure(1, structureId);
    const [post] = (await seen(convention.id)).posts;
    expect(post).toMatchObject({
      state: 'OCCUPE',
      conseiller: { id: String(employed.state.conseillerId) },
      contracts: [{ startDate: '2025-01-06', receivedOn: convention.signedOn }],
    });
  });

  test('more contracts than funded posts: the extra one waits, and takes the post its holder leaves', async () => {
    const { structureId, convention } = await fundedStructure(1);
    const first = await employInConventions(conventions(), { structureId, startDate: '2025-01-06', endDate: '2026-01-05' });
    const second = await employInConventions(conventions(), { structureId, startDate: '2025-02-03', endDate: '2026-02-02' });
    expect(first.contract).not.toBeNull();
    expect(second.contract).toBeNull();
    expect(await em().count(Post, { convention: convention.id, state: 'OCCUPE' })).toBe(1);

    const ended: ContractState = { ...first.state, status: 'FINALISEE_RUPTURE', ruptureDate: '2025-06-30' };
    await feed(conventions(), 'conventions', ruptureValidated, ended.miseEnRelationId, ended);
    const [post] = (await seen(convention.id)).posts;
    expect(post).toMatchObject({
      state: 'OCCUPE',
      conseiller: { id: String(second.state.conseillerId) },
      contracts: [
        { startDate: '2025-01-06', endedEarlyOn: '2025-06-30' },
        { startDate: '2025-02-03', endedEarlyOn: null },
      ],
    });
  });

  test('a coordinator contract takes a coordinator post, never an advisor one', async () => {
    const structureId = uniqueId();
    await feed(conventions(), 'conventions', structureDecided, structureId, structureState({ structureId, coordinatorPosts: 1 }));
    const convention = await createConvention(conventions(), {
      structureId,
      startDate: '2025-01-01',
      attributionDate: '2024-12-01',
      advisorPosts: 1,
      coordinatorPosts: ['CDI'],
    });
    const coordinator = await employInConventions(conventions(), { structureId, coordinator: true, type: 'CDI', startDate: '2025-01-06' });
    expect(coordinator.contract!.post).toMatchObject({ typology: 'COORDINATEUR', state: 'OCCUPE' });
    const posts = await em().find(Post, { convention: convention.id }, { orderBy: { id: 'asc' } });
    expect(posts.map((p) => [p.typology, p.state])).toEqual([
      ['CONSEILLER', 'VACANT'],
      ['COORDINATEUR', 'OCCUPE'],
    ]);
  });
});

describe('rupture and renewal', () => {
  const DECLARE_RUPTURE = `mutation ($id: ID!, $date: Date!) { declareRupture(input: { miseEnRelationId: $id, date: $date, reason: DEMISSION }) { miseEnRelation { status } } }`;
  const VALIDATE_RUPTURE = `mutation ($id: ID!) { validateRupture(input: { miseEnRelationId: $id }) { miseEnRelation { status } } }`;

  test('validating a rupture in recruitment frees the funded post, the contract ended on the rupture date, once however often delivered', async () => {
    const { recruitment } = system.orms;
    const structure = await createStructure(recruitment, { postQuota: 1 });
    const advisor = await createConseiller(recruitment, { structureId: structure.id });
    const contract = cdd('2025-01-06', '2026-01-05');
    const mer = await createMiseEnRelation(recruitment, {
      structureId: structure.id,
      conseillerId: advisor.id,
      status: 'FINALISEE',
      ...contractOf(contract),
    });
    const { convention } = await fundedStructure(1, structure.id);
    // Recruitment's validation of the recruitment (not published by it yet here), as it would publish it; with no
    // sequence, so that recruitment's own events that follow count as news for the copy.
    const signed = envelope(
      contractSigned,
      mer.id,
      contractState({
        miseEnRelationId: mer.id,
        conseillerId: advisor.id,
        structureId: structure.id,
        contract: cddOf(contract.startDate, contract.endDate),
      }),
    );
    await feedEnvelope(conventions(), 'conventions', { ...signed, sequence: undefined });
    const post = await em().findOneOrFail(Post, { convention: convention.id });
    expect(post).toMatchObject({ state: 'OCCUPE', conseillerId: advisor.id });

    await succeeds(system.querySubgraph('recruitment', DECLARE_RUPTURE, { id: mer.id, date: '2025-06-30' }));
    const validated = await succeeds(system.querySubgraph('recruitment', VALIDATE_RUPTURE, { id: mer.id }));
    expect(validated.validateRupture.miseEnRelation.status).toBe('FINALISEE_RUPTURE');
    const [event] = await recruitment.em.fork().find(OutboxEvent, { aggregateId: String(mer.id), type: ruptureValidated.type });
    expect(event).toMatchObject({
      version: 2,
      payload: { miseEnRelationId: mer.id, status: 'FINALISEE_RUPTURE', ruptureDate: '2025-06-30' },
    });

    const postNow = () => em().findOneOrFail(Post, post.id);
    await eventually(async () => expect(await postNow()).toMatchObject({ state: 'VACANT', conseillerId: null }));
    const ended = await em().findOneOrFail(EmploymentContract, { miseEnRelationId: mer.id });
    expect(ended).toMatchObject({ post: { id: post.id }, startDate: '2025-01-06', endDate: '2026-01-05', endedEarlyOn: '2025-06-30' });
    // Delivered again (a redelivery, a replay): both consumers have it in their inbox, nothing changes.
    const updatedAt = (await postNow()).updatedAt;
    expect(await feedEnvelope(conventions(), 'conventions', envelopeOfRow(event!))).toEqual(['duplicate', 'duplicate']);
    expect(await feedEnvelope(conventions(), 'conventions', envelopeOfRow(event!))).toEqual(['duplicate', 'duplicate']);
    expect(await postNow()).toMatchObject({ state: 'VACANT', updatedAt });
    const inbox = await em().find(InboxEntry, { eventId: event!.eventId }, { orderBy: { consumer: 'asc' } });
    expect(inbox.map((e) => [e.consumer, e.appliedAt !== null, e.parkedAt ?? null])).toEqual([
      ['conventions.contracts-received', true, null],
      ['conventions.recruitment-contracts', true, null],
    ]);
  });

  test('renewal: the renewed contract takes the phase-2 post renewed from the phase-1 one, the phase-1 post is freed', async () => {
    const { structureId, convention: phase1 } = await fundedStructure(1);
    const first = await employInConventions(conventions(), { structureId, type: 'CDI', startDate: '2025-01-06' });
    const renewal = await renewConvention(em(), SYSTEM_ADMIN, {
      conventionId: phase1.id,
      dsNumber: uniqueId(),
      dsCreatedAt: new Date('2026-03-01T08:00:00Z'),
    });
    await moveDsFile(em(), SYSTEM_ADMIN, { conventionId: renewal.id, state: 'en_instruction', at: new Date('2026-04-01T08:00:00Z') });
    await moveDsFile(em(), SYSTEM_ADMIN, { conventionId: renewal.id, state: 'accepte', at: new Date('2026-05-01T08:00:00Z') });
    await signConvention(em(), SYSTEM_ADMIN, { conventionId: renewal.id, signedOn: '2026-06-01' });
    const [phase2Post] = await em().find(Post, { convention: renewal.id });
    expect(phase2Post).toMatchObject({ renewedFromId: first.contract!.post.id, state: 'VACANT' });

    // Recruitment validates the renewal: the new contract in progress, the one it follows ended.
    const renewed = contractState({
      miseEnRelationId: uniqueId(),
      conseillerId: first.state.conseillerId,
      structureId,
      phase: 'PHASE_2',
      renewalOfId: first.state.miseEnRelationId,
      contract: { type: 'CDI', startDate: renewal.startDate, endDate: null, grossMonthlySalaryCents: 190_000 },
    });
    await feed(conventions(), 'conventions', contractRenewed, renewed.miseEnRelationId, renewed);
    await feed(conventions(), 'conventions', contractEnded, first.state.miseEnRelationId, { ...first.state, status: 'TERMINEE' });

    const posts = await em().find(Post, { id: { $in: [first.contract!.post.id, phase2Post!.id] } }, { orderBy: { id: 'asc' } });
    expect(posts.map((p) => [p.id, p.state, p.conseillerId ?? null])).toEqual([
      [first.contract!.post.id, 'VACANT', null],
      [phase2Post!.id, 'OCCUPE', first.state.conseillerId],
    ]);
    const received = await em().findOneOrFail(EmploymentContract, { miseEnRelationId: renewed.miseEnRelationId });
    expect(received).toMatchObject({ post: { id: phase2Post!.id }, type: 'CDI', startDate: renewal.startDate, endDate: null });
  });
});

describe('delivery', () => {
  test('an event delivered 3 times changes the state once', async () => {
    const { structureId, convention } = await fundedStructure();
    const state = contractState({
      miseEnRelationId: uniqueId(),
      conseillerId: uniqueId(),
      structureId,
      contract: cddOf('2025-01-06', '2026-01-05'),
    });
    const signed = envelope(contractSigned, state.miseEnRelationId, state);
    expect(await feedEnvelope(conventions(), 'conventions', signed)).toEqual(['applied', 'applied']);
    const post = await em().findOneOrFail(Post, { convention: convention.id });
    const contract = await em().findOneOrFail(EmploymentContract, { miseEnRelationId: state.miseEnRelationId });
    expect(await feedEnvelope(conventions(), 'conventions', signed)).toEqual(['duplicate', 'duplicate']);
    expect(await feedEnvelope(conventions(), 'conventions', signed)).toEqual(['duplicate', 'duplicate']);
    expect(await em().count(EmploymentContract, { post: post.id })).toBe(1);
    expect(await em().findOneOrFail(Post, post.id)).toMatchObject({ state: 'OCCUPE', updatedAt: post.updatedAt });
    expect(await em().findOneOrFail(EmploymentContract, contract.id)).toMatchObject({ updatedAt: contract.updatedAt });
  });

  test('events of one contract delivered out of order leave the newer state: an older signature after the extension changes nothing', async () => {
    const { structureId, convention } = await fundedStructure();
    const state = contractState({
      miseEnRelationId: uniqueId(),
      conseillerId: uniqueId(),
      structureId,
      contract: cddOf('2025-01-06', '2025-12-31'),
    });
    const signed = envelope(contractSigned, state.miseEnRelationId, state);
    const extended = envelope(contractExtended, state.miseEnRelationId, { ...state, contract: cddOf('2025-01-06', '2026-06-30') });
    expect(signed.sequence! < extended.sequence!).toBe(true);
    await feedEnvelope(conventions(), 'conventions', extended);
    await feedEnvelope(conventions(), 'conventions', signed);
    const [post] = (await seen(convention.id)).posts;
    expect(post).toMatchObject({ state: 'OCCUPE', contracts: [{ endDate: '2026-06-30' }] });

    // The same for a rupture overtaken by an older extension: the post stays free.
    const ended = envelope(ruptureValidated, state.miseEnRelationId, {
      ...state,
      contract: cddOf('2025-01-06', '2026-06-30'),
      status: 'FINALISEE_RUPTURE',
      ruptureDate: '2025-09-30',
    });
    const late = envelope(contractExtended, state.miseEnRelationId, { ...state, contract: cddOf('2025-01-06', '2026-12-31') });
    await feedEnvelope(conventions(), 'conventions', { ...ended, sequence: late.sequence! + 1 });
    await feedEnvelope(conventions(), 'conventions', late);
    expect((await seen(convention.id)).posts[0]).toMatchObject({
      state: 'VACANT',
      contracts: [{ endDate: '2026-06-30', endedEarlyOn: '2025-09-30' }],
    });
  });
});
