import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { uniqueId } from '../support/ids.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { CONVENTION, CONVENTION_FIELDS, MOVE, OPEN, openInput, PAY, SIGN } from './support.js';
import {
  contractRenewed,
  postRequestDecided,
  postsTransferred,
  structureDecided,
  type PostRequestDecided,
} from '../../common/events/catalogue.js';
import { contractStateOfCopy, RecruitmentContract } from '../../common/events/copies.js';
import { EmploymentContract, Post, Amendment, PostTransfer } from '../../subgraphs/conventions/entities/index.js';
import { employInConventions, ruptureInConventions, feedStructure } from '../support/factories/conventions.js';
import { envelope, feed, feedEnvelope, postRequestState, structureState } from '../support/events.js';
import { type Data, failsWith, succeeds } from '../support/graphql.js';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await openTestSubgraph('conventions');
});
afterAll(async () => {
  await subgraph?.close();
});

/** A signed agreement (public, 50,000 € a post over 24 months from 2022-01-01 unless told otherwise). */
async function signed(overrides: Record<string, unknown> = {}, signedOn = '2022-01-01') {
  const input = await openInput(subgraph.orm, overrides);
  const {
    openConvention: { convention: opened },
  } = await succeeds(subgraph.execute(OPEN, { input }));
  await succeeds(subgraph.execute(MOVE, { id: opened.id, state: 'en_instruction', at: '2021-11-01T09:00:00Z' }));
  await succeeds(subgraph.execute(MOVE, { id: opened.id, state: 'accepte', at: '2021-12-01T09:00:00Z' }));
  const convention = (await succeeds(subgraph.execute(SIGN, { id: opened.id, signedOn }))).signConvention.convention;
  return { ...convention, structureId: Number(input.structureId) };
}

/** Recruitment validates a CDI at the post's structure: the contract is received on the first vacant post, this one. */
async function occupy(postId: string, startDate = '2022-01-01') {
  const post = await subgraph.orm.em.fork().findOneOrFail(Post, Number(postId));
  const { state, contract } = await employInConventions(subgraph.orm, { structureId: post.structureId, type: 'CDI', startDate });
  if (contract?.post.id !== post.id) throw new Error(`The contract was received on post ${contract?.post.id}, not ${postId}.`);
  return String(state.conseillerId);
}

/** Recruitment validates the rupture of the contract received on a post. */
async function leave(postId: string, ruptureDate: string) {
  const em = subgraph.orm.em.fork();
  const received = await em.findOneOrFail(EmploymentContract, { post: Number(postId), endedEarlyOn: null }, { orderBy: { id: 'desc' } });
  const copy = await em.findOneOrFail(RecruitmentContract, received.miseEnRelationId);
  await ruptureInConventions(subgraph.orm, { state: contractStateOfCopy(copy) }, ruptureDate);
}

async function load(id: string) {
  return (await succeeds(subgraph.execute(CONVENTION, { id }))).convention;
}

const decision = (structureId: number, overrides: Partial<PostRequestDecided> = {}) => postRequestState({ structureId, ...overrides });

/** Delivers the decision to conventions as recruitment's relay would. */
const decide = (payload: PostRequestDecided) => feed(subgraph.orm, 'conventions', postRequestDecided, payload.postRequestId, payload);

const AMENDMENTS = /* GraphQL */ `
  query ($id: ID!) {
    convention(id: $id) {
      postsCount
      amountCents
      amendments {
        type
        status
        applied
        coordinator
        reason
        postsBefore
        postsRequested
        postsGranted
        prefectOpinion
        requestedOn
        decidedOn
        structure {
          id
        }
        givenBackPosts {
          id
        }
      }
    }
  }
`;
const TERMINATE = /* GraphQL */ `mutation ($id: ID!, $kind: TerminationKind!, $on: Date!) { terminateConvention(input: { conventionId: $id, kind: $kind, on: $on }) { convention { ${CONVENTION_FIELDS} } } }`;
const RENEW = /* GraphQL */ `mutation ($input: RenewConventionInput!) { renewConvention(input: $input) { convention { ${CONVENTION_FIELDS} previousConvention { id } } } }`;
const DECLINE = /* GraphQL */ `
  mutation ($id: ID!, $reason: String!) {
    declineRenewal(input: { conventionId: $id, reason: $reason }) {
      convention {
        id
        phase
        status
        declineReason
        dsFile {
          number
        }
        previousConvention {
          id
        }
      }
    }
  }
`;
describe('amendments (avenants), decided in recruitment', () => {
  test('a contract waiting for a post is received on the post an accepted AJOUT funds', async () => {
    const c = await signed({ advisorPosts: 1 });
    await occupy(c.posts[0].id);
    const waiting = await employInConventions(subgraph.orm, { structureId: c.structureId, type: 'CDI', startDate: '2022-03-01' });
    expect(waiting.contract).toBeNull();
    await feedStructure(subgraph.orm, c.structureId, { departementCode: '59', regionCode: '32', advisorPosts: 2 });
    expect(await decide(decision(c.structureId, { postsRequested: 1, postsGranted: 1 }))).toEqual(['applied']);
    const received = await subgraph.orm.em
      .fork()
      .findOne(EmploymentContract, { miseEnRelationId: waiting.state.miseEnRelationId }, { populate: ['post'] });
    expect(received).toMatchObject({ receivedOn: '2022-07-01', post: { state: 'OCCUPE', conseillerId: waiting.state.conseillerId } });
  });

  test('an accepted AJOUT funds the posts granted, vacant, for the months left: the amount grows by their published subsidy', async () => {
    const c = await signed({ advisorPosts: 1 });
    // Recruitment grants the post: the structure's quota follows, then the decision.
    await feedStructure(subgraph.orm, c.structureId, { departementCode: '59', regionCode: '32', advisorPosts: 2 });
    const request = decision(c.structureId, { postsRequested: 2, postsGranted: 1 });
    expect(await decide(request)).toEqual(['applied']);
    const after = await load(c.id);
    // Added on 2022-07-01: 18 of the 24 months left → 37,500 €; 6 months in year 1, 12 in year 2.
    expect(after.posts[1]).toMatchObject({ state: 'VACANT', fundingStart: '2022-07-01', fundingMonths: 18, fundingCents: 37_500_00 });
    expect(after).toMatchObject({ postsCount: 2, amountCents: 50_000_00 + 37_500_00 });
    expect(after.tranches.map((t: Data) => t.amountCents)).toEqual([25_000_00 + 12_500_00, 25_000_00 + 25_000_00]);
    expect((await succeeds(subgraph.execute(AMENDMENTS, { id: c.id }))).convention.amendments).toEqual([
      {
        type: 'AJOUT',
        status: 'VALIDEE',
        applied: true,
        coordinator: false,
        reason: 'FORTE_DEMANDE',
        postsBefore: 1,
        postsRequested: 2,
        postsGranted: 1,
        prefectOpinion: 'POSITIF',
        requestedOn: '2022-06-01',
        decidedOn: '2022-07-01',
        structure: { id: String(c.structureId) },
        givenBackPosts: [],
      },
    ]);
  });

  test('an event delivered three times, or a request announced twice, changes the agreement once', async () => {
    const c = await signed({ advisorPosts: 1 });
    const request = decision(c.structureId);
    const event = envelope(postRequestDecided, request.postRequestId, request);
    expect(await feedEnvelope(subgraph.orm, 'conventions', event)).toEqual(['applied']);
    expect(await feedEnvelope(subgraph.orm, 'conventions', event)).toEqual(['duplicate']);
    expect(await feedEnvelope(subgraph.orm, 'conventions', event)).toEqual(['duplicate']);
    // A replay publishes the same request under a new event id: the amendment is known, nothing changes.
    expect(await decide(request)).toEqual(['applied']);
    expect(await load(c.id)).toMatchObject({ postsCount: 2, amountCents: 50_000_00 + 37_500_00 });
    expect(await subgraph.orm.em.fork().count(Amendment, { postRequestId: request.postRequestId })).toBe(1);
  });

  test('a refused request is recorded, and changes nothing', async () => {
    const c = await signed({ advisorPosts: 1 });
    await decide(decision(c.structureId, { accepted: false, coordinator: true, prefectOpinion: 'NEGATIF', reason: 'RENFORCER_EQUIPE' }));
    const after = (await succeeds(subgraph.execute(AMENDMENTS, { id: c.id }))).convention;
    expect(after).toMatchObject({ postsCount: 1, amountCents: 50_000_00 });
    expect(after.amendments).toEqual([
      expect.objectContaining({
        type: 'AJOUT',
        status: 'REFUSEE',
        applied: false,
        coordinator: true,
        postsGranted: null,
        prefectOpinion: 'NEGATIF',
      }),
    ]);
  });

  test('an accepted RETRAIT gives a vacant post back: cut to its months used, what was overpaid becomes a credit note', async () => {
    const c = await signed({ advisorPosts: 2 });
    await occupy(c.posts[0].id);
    await occupy(c.posts[1].id);
    await succeeds(subgraph.execute(PAY, { id: c.tranches[0].id, paidOn: '2022-01-15' }));
    // The second advisor leaves after 5 months; recruitment then takes the post back.
    await leave(c.posts[1].id, '2022-05-31');
    await feedStructure(subgraph.orm, c.structureId, { departementCode: '59', regionCode: '32', advisorPosts: 1 });
    await decide(
      decision(c.structureId, { type: 'RETRAIT', postsBefore: 2, postsRequested: 1, requestedOn: '2022-06-01', decidedOn: '2022-06-15' }),
    );
    const after = await load(c.id);
    const post = after.posts[1];
    // An advisor was in post January to May: 5 months used → 10,416.66 €; 25,000 € were paid with tranche 1 →
    // credit note of 14,583.34 €.
    expect(post).toMatchObject({
      state: 'RENDU',
      givenBackOn: '2022-06-15',
      exitReason: 'AVENANT_RETRAIT',
      fundingMonths: 24,
      monthsUsed: 5,
      fundingCents: 10_416_66,
      paidCents: 25_000_00,
    });
    expect(after.posts[0].state).toBe('OCCUPE');
    expect(after.creditNotes).toEqual([
      { amountCents: 14_583_34, reason: 'POST_GIVEN_BACK', issuedOn: '2022-06-15', post: { id: post.id } },
    ]);
    expect(after).toMatchObject({
      postsCount: 1,
      amountCents: 60_416_66,
      paidCents: 50_000_00,
      creditNotesCents: 14_583_34,
      remainingOwedCents: 25_000_00,
    });
    expect(after.tranches[1]).toMatchObject({ amountCents: 25_000_00, status: 'DUE' });
    const [amendment] = (await succeeds(subgraph.execute(AMENDMENTS, { id: c.id }))).convention.amendments;
    expect(amendment).toMatchObject({
      type: 'RETRAIT',
      status: 'VALIDEE',
      applied: true,
      postsRequested: 1,
      givenBackPosts: [{ id: post.id }],
    });
  });

  test('no running signed agreement: the amendment is recorded unapplied, on the latest agreement if any', async () => {
    const input = await openInput(subgraph.orm, { advisorPosts: 1 });
    const {
      openConvention: { convention: opened },
    } = await succeeds(subgraph.execute(OPEN, { input }));
    await decide(decision(Number(input.structureId)));
    const pending = (await succeeds(subgraph.execute(AMENDMENTS, { id: opened.id }))).convention;
    expect(pending).toMatchObject({ postsCount: 1, amountCents: 50_000_00 });
    expect(pending.amendments).toEqual([expect.objectContaining({ status: 'VALIDEE', applied: false, postsGranted: 1 })]);

    // A structure with no agreement at all: recorded all the same, with no agreement.
    const alone = uniqueId();
    await feedStructure(subgraph.orm, alone, { advisorPosts: 2 });
    const request = decision(alone);
    await decide(request);
    expect(await subgraph.orm.em.fork().findOneOrFail(Amendment, { postRequestId: request.postRequestId })).toMatchObject({
      convention: null,
      applied: false,
      structureId: alone,
    });
  });

  test('a reason outside recruitment’s list fails the delivery: the transport retries, then parks it', async () => {
    const c = await signed({ advisorPosts: 1 });
    await expect(decide(decision(c.structureId, { reason: 'FORTE_DEMANDE_TERRITOIRE' }))).rejects.toThrow(
      'FORTE_DEMANDE_TERRITOIRE is not a reason of a AJOUT',
    );
    expect(await load(c.id)).toMatchObject({ postsCount: 1 });
  });
});

describe('the amendments list', () => {
  const LIST = /* GraphQL */ `
    query ($first: Int, $after: String, $filter: AmendmentFilter) {
      amendments(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            type
            status
            prefectOpinion
            requestedOn
          }
        }
      }
    }
  `;

  test('lists filter on the prefecture opinion (or its absence), type, status and territory', async () => {
    // A territory of its own ('810' in the unused région code '10'), so the counts below are this test's.
    const c = await signed({ advisorPosts: 2, departementCode: '810', regionCode: '10' });
    const ajout = (requestedOn: string, overrides: Partial<PostRequestDecided>) =>
      decide(decision(c.structureId, { requestedOn, ...overrides }));
    await ajout('2022-02-01', { prefectOpinion: 'POSITIF' });
    await ajout('2022-02-02', { prefectOpinion: null, accepted: false });
    await ajout('2022-02-03', { type: 'RETRAIT', prefectOpinion: 'NEGATIF', accepted: false, reason: 'BESOIN_NON_JUSTIFIE' });

    const list = async (filter: Record<string, unknown>) =>
      (await succeeds(subgraph.execute(LIST, { filter: { departementCode: '810', ...filter } }))).amendments;
    const days = (page: Data) => page.edges.map((e: Data) => e.node.requestedOn);
    expect(days(await list({}))).toEqual(['2022-02-03', '2022-02-02', '2022-02-01']);
    expect((await list({ type: 'AJOUT' })).totalCount).toBe(2);
    expect((await list({ status: ['REFUSEE'] })).totalCount).toBe(2);
    expect(days(await list({ prefectOpinion: 'NEGATIF' }))).toEqual(['2022-02-03']);
    expect(days(await list({ awaitingPrefectOpinion: true }))).toEqual(['2022-02-02']);
    expect((await list({ regionCode: '10', awaitingPrefectOpinion: false })).totalCount).toBe(2);
    expect(
      await failsWith('BAD_USER_INPUT', subgraph.execute(LIST, { filter: { prefectOpinion: 'NEGATIF', awaitingPrefectOpinion: true } })),
    ).toMatchObject({ field: 'filter.awaitingPrefectOpinion' });

    const page1 = (await succeeds(subgraph.execute(LIST, { first: 2, filter: { departementCode: '810' } }))).amendments;
    expect(page1).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const page2 = (
      await succeeds(subgraph.execute(LIST, { first: 2, after: page1.pageInfo.endCursor, filter: { departementCode: '810' } }))
    ).amendments;
    expect(days(page2)).toEqual(['2022-02-01']);
  });
});

describe('termination', () => {
  test('natural end: only from the end date; posts leave with their funding for the months used, what is unpaid stays owed', async () => {
    const c = await signed({ advisorPosts: 2 });
    await occupy(c.posts[0].id);
    expect(
      await failsWith('BAD_USER_INPUT', subgraph.execute(TERMINATE, { id: c.id, kind: 'NATURAL_END', on: '2023-06-30' })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.on',
    });
    const {
      terminateConvention: { convention: t },
    } = await succeeds(subgraph.execute(TERMINATE, { id: c.id, kind: 'NATURAL_END', on: '2024-01-15' }));
    expect(t).toMatchObject({ terminatedOn: '2023-12-31', terminationKind: 'NATURAL_END', postsCount: 0, creditNotes: [] });
    // The filled post keeps its 24 months (50,000 €); the post never filled keeps nothing.
    expect(t.posts.map((p: Data) => [p.state, p.exitReason, p.monthsUsed, p.fundingCents])).toEqual([
      ['RENDU', 'FIN_DE_CONVENTION', 24, 50_000_00],
      ['RENDU', 'FIN_DE_CONVENTION', 0, 0],
    ]);
    expect(t).toMatchObject({ amountCents: 50_000_00, paidCents: 0, remainingOwedCents: 50_000_00 });
    // What is owed stays payable: the contract covers both years.
    expect(t.tranches.map((tr: Data) => [tr.amountCents, tr.status])).toEqual([
      [25_000_00, 'DUE'],
      [25_000_00, 'DUE'],
    ]);
    await succeeds(subgraph.execute(PAY, { id: t.tranches[0].id, paidOn: '2024-02-01' }));
    expect(
      await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(TERMINATE, { id: c.id, kind: 'NATURAL_END', on: '2024-01-16' })),
    ).toMatchObject({
      code: 'INVALID_STATUS_TRANSITION',
    });
  });

  test('natural end of an agreement whose post was never filled: nothing is owed, nothing becomes payable', async () => {
    const c = await signed({ advisorPosts: 1 });
    const {
      terminateConvention: { convention: t },
    } = await succeeds(subgraph.execute(TERMINATE, { id: c.id, kind: 'NATURAL_END', on: '2023-12-31' }));
    expect(t).toMatchObject({ amountCents: 0, remainingOwedCents: 0 });
    expect(t.tranches.map((tr: Data) => tr.status)).toEqual(['BLOCKED', 'BLOCKED']);
  });

  test('early exit: posts cut to the months begun, overpayments claimed back, later tranches blocked, remaining owed computed', async () => {
    const c = await signed({ advisorPosts: 2, sector: 'PRIVATE', legalCategory: 'ASSOCIATION', durationMonths: 24 });
    await occupy(c.posts[0].id);
    await occupy(c.posts[1].id);
    await succeeds(subgraph.execute(PAY, { id: c.tranches[0].id, paidOn: '2022-01-10' }));
    const {
      terminateConvention: { convention: t },
    } = await succeeds(subgraph.execute(TERMINATE, { id: c.id, kind: 'EARLY_EXIT', on: '2022-04-20' }));
    // 2 × 40,000 € over 24 months; 4 months used → 6,666.66 € each; 20,000 € each paid → 13,333.34 € back each.
    expect(t.posts.map((p: Data) => [p.state, p.exitReason, p.monthsUsed, p.fundingCents])).toEqual([
      ['RENDU', 'RESILIATION', 4, 6_666_66],
      ['RENDU', 'RESILIATION', 4, 6_666_66],
    ]);
    expect(t.creditNotes.map((n: Data) => [n.amountCents, n.reason])).toEqual([
      [13_333_34, 'EARLY_TERMINATION'],
      [13_333_34, 'EARLY_TERMINATION'],
    ]);
    expect(t).toMatchObject({
      terminationKind: 'EARLY_EXIT',
      terminatedOn: '2022-04-20',
      amountCents: 13_333_32,
      paidCents: 40_000_00,
      creditNotesCents: 26_666_68,
      remainingOwedCents: 0,
    });
    expect(t.tranches[1]).toMatchObject({
      amountCents: 0,
      status: 'BLOCKED',
      blockedReason: "The agreement ended on 2022-04-20, before this tranche's year.",
    });
    // A contract recruitment signs afterwards finds no running agreement to be received on: it waits.
    expect(
      (await employInConventions(subgraph.orm, { structureId: c.structureId, type: 'CDI', startDate: '2022-05-01' })).contract,
    ).toBeNull();
  });
});

describe('renewal (reconventionnement)', () => {
  test('a phase-1 agreement renews into phase 2: RECONVENTIONNEMENT_INITIE → RECONVENTIONNEMENT_VALIDE, 42,500 € a post or 50,000 € in a QPV/ZRR', async () => {
    const c = await signed({ advisorPosts: 2, sector: 'PRIVATE', legalCategory: 'ASSOCIATION', durationMonths: 24 });
    const advisor = await occupy(c.posts[0].id);
    // Recruitment now knows the structure is in a QPV: the renewal's bonification follows, not an input.
    const facts = { sector: 'PRIVATE' as const, departementCode: '59', regionCode: '32', advisorPosts: 2 };
    await feedStructure(subgraph.orm, c.structureId, { ...facts, priorityArea: true });
    const {
      renewConvention: { convention: r },
    } = await succeeds(
      subgraph.execute(RENEW, {
        input: {
          conventionId: c.id,
          dsNumber: uniqueId(),
          postIds: [c.posts[0].id],
          dsCreatedAt: '2023-09-01T08:00:00Z',
        },
      }),
    );
    expect(r).toMatchObject({
      phase: 'PHASE_2',
      status: 'RECONVENTIONNEMENT_INITIE',
      previousConvention: { id: c.id },
      startDate: '2024-01-01',
      endDate: '2026-12-31',
      durationMonths: 36,
      dsFile: { procedure: 'RECONVENTIONNEMENT_ASSOCIATION', state: 'en_construction' },
      amountCents: 50_000_00,
    });
    expect(r.posts).toEqual([
      expect.objectContaining({
        state: 'OCCUPE',
        conseiller: { id: advisor },
        fundingCents: 42_500_00,
        bonusCents: 7_500_00,
        renewed: false,
      }),
    ]);
    expect(await failsWith('CONFLICT', subgraph.execute(RENEW, { input: { conventionId: c.id, dsNumber: uniqueId() } }))).toMatchObject({
      code: 'CONFLICT',
      field: 'input.conventionId',
    });

    await succeeds(subgraph.execute(MOVE, { id: r.id, state: 'en_instruction', at: '2023-10-01T09:00:00Z' }));
    await succeeds(subgraph.execute(MOVE, { id: r.id, state: 'accepte', at: '2023-11-01T09:00:00Z' }));
    const inPhase2 = async () => {
      const { convention } = await succeeds(
        subgraph.execute(`query ($id: ID!) { convention(id: $id) { structure { id } } }`, { id: c.id }),
      );
      const { _entities } = await succeeds(
        subgraph.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Structure { inPhase2 } } }`, {
          r: [{ __typename: 'Structure', id: convention.structure.id }],
        }),
      );
      return _entities[0].inPhase2;
    };
    expect(await inPhase2()).toBe(false);
    const {
      signConvention: { convention: s },
    } = await succeeds(subgraph.execute(SIGN, { id: r.id, signedOn: '2023-12-01' }));
    expect(s.status).toBe('RECONVENTIONNEMENT_VALIDE');
    expect(await inPhase2()).toBe(true);
    expect(s.tranches.map((t: Data) => [t.dueDate, t.amountCents])).toEqual([
      ['2024-01-01', 17_500_00],
      ['2025-01-01', 15_000_00],
      ['2026-01-01', 17_500_00],
    ]);
    // The phase-1 post is now renewed; recruitment validates its advisor's phase-2 contract, received on the renewed post.
    expect((await load(c.id)).posts.map((p: Data) => p.renewed)).toEqual([true, false]);
    const renewed = await employInConventions(subgraph.orm, {
      structureId: c.structureId,
      conseillerId: Number(advisor),
      phase: 'PHASE_2',
      type: 'CDI',
      startDate: '2024-01-01',
      event: contractRenewed,
    });
    expect(renewed.contract?.post.id).toBe(Number(s.posts[0].id));
    expect((await load(r.id)).tranches[0].status).toBe('DUE');
  });

  test('a renewal is refused for a structure recruitment no longer validates, or beyond its quota', async () => {
    const c = await signed({ advisorPosts: 2 });
    const facts = { departementCode: '59', regionCode: '32' };
    const renew = () => subgraph.execute(RENEW, { input: { conventionId: c.id, dsNumber: uniqueId() } });
    await feedStructure(subgraph.orm, c.structureId, { ...facts, status: 'ABANDON', advisorPosts: 2 });
    expect(await failsWith('INVALID_STATUS_TRANSITION', renew())).toMatchObject({ entity: 'Structure', from: 'ABANDON' });
    // Validated again, with one post left: the two kept are too many; keeping one is within the quota.
    await feedStructure(subgraph.orm, c.structureId, { ...facts, advisorPosts: 1 });
    expect(await failsWith('BAD_USER_INPUT', renew())).toMatchObject({ field: 'input.postIds' });
    const kept = await succeeds(subgraph.execute(RENEW, { input: { conventionId: c.id, dsNumber: uniqueId(), postIds: [c.posts[0].id] } }));
    expect(kept.renewConvention.convention).toMatchObject({ postsCount: 1, status: 'RECONVENTIONNEMENT_INITIE' });
  });

  test('declining: from an initiated renewal (etat=annuler) or straight from phase 1, with a reason', async () => {
    const a = await signed({ advisorPosts: 1 });
    const {
      renewConvention: { convention: r },
    } = await succeeds(subgraph.execute(RENEW, { input: { conventionId: a.id, dsNumber: uniqueId() } }));
    expect(await failsWith('BAD_USER_INPUT', subgraph.execute(DECLINE, { id: r.id, reason: '  ' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.reason',
    });
    const declined = await succeeds(subgraph.execute(DECLINE, { id: r.id, reason: 'Manque de visibilité budgétaire' }));
    expect(declined.declineRenewal.convention).toMatchObject({
      id: r.id,
      status: 'NON_INTERESSE',
      declineReason: 'Manque de visibilité budgétaire',
    });
    expect(await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(SIGN, { id: r.id, signedOn: '2024-01-01' }))).toMatchObject({
      code: 'INVALID_STATUS_TRANSITION',
      from: 'NON_INTERESSE',
    });

    const b = await signed({ advisorPosts: 1 });
    const direct = await succeeds(subgraph.execute(DECLINE, { id: b.id, reason: 'Fin de subventionnement' }));
    expect(direct.declineRenewal.convention).toMatchObject({
      phase: 'PHASE_2',
      status: 'NON_INTERESSE',
      dsFile: null,
      previousConvention: { id: b.id },
    });
    expect(await failsWith('CONFLICT', subgraph.execute(RENEW, { input: { conventionId: b.id, dsNumber: uniqueId() } }))).toMatchObject({
      code: 'CONFLICT',
    });
    expect(
      await failsWith(
        'INVALID_STATUS_TRANSITION',
        subgraph.execute(RENEW, { input: { conventionId: direct.declineRenewal.convention.id, dsNumber: uniqueId() } }),
      ),
    ).toMatchObject({
      code: 'INVALID_STATUS_TRANSITION',
    });
  });
});

describe('transfers, decided in recruitment', () => {
  const transfer = (fromStructureId: number, toStructureId: number, posts: number, on = '2022-10-01') => {
    const payload = { transferId: uniqueId(), fromStructureId, toStructureId, posts, on };
    return feed(subgraph.orm, 'conventions', postsTransferred, payload.transferId, payload).then(() => payload.transferId);
  };
  const row = (transferId: number) => subgraph.orm.em.fork().findOneOrFail(PostTransfer, { transferId });

  test('vacant posts move: given back on the source agreement (TRANSFERT), funded on the target for the months left', async () => {
    const from = await signed({ advisorPosts: 2 });
    const to = await signed({ advisorPosts: 1, departementCode: '974', regionCode: '04' });
    await occupy(from.posts[0].id);
    // Recruitment asked for 2; only 1 is vacant here: the occupied post stays.
    const id = await transfer(from.structureId, to.structureId, 2);
    const source = await load(from.id);
    expect(source.posts.map((p: Data) => [p.state, p.exitReason, p.givenBackOn])).toEqual([
      ['OCCUPE', null, null],
      ['RENDU', 'TRANSFERT', '2022-10-01'],
    ]);
    // Never filled, it keeps nothing.
    expect(source).toMatchObject({ postsCount: 1, amountCents: 50_000_00 });
    const target = await succeeds(
      subgraph.execute(
        `query ($id: ID!) { convention(id: $id) { postsCount amountCents posts { state fundingStart fundingMonths fundingCents conseiller { id } transferredFrom { id } } } }`,
        {
          id: to.id,
        },
      ),
    );
    // 15 of the 24 months left in La Réunion (67,500 € a post): 42,187.50 €.
    expect(target.convention).toMatchObject({ postsCount: 2, amountCents: 67_500_00 + 42_187_50 });
    expect(target.convention.posts[1]).toEqual({
      state: 'VACANT',
      fundingStart: '2022-10-01',
      fundingMonths: 15,
      fundingCents: 42_187_50,
      conseiller: null,
      transferredFrom: { id: from.posts[1].id },
    });
    expect(await row(id)).toMatchObject({
      posts: 2,
      postsGivenBack: 1,
      postsFunded: 1,
      fromConventionId: Number(from.id),
      toConventionId: Number(to.id),
    });
  });

  test('a side without a running signed agreement moves nothing there, and no post is invented', async () => {
    const from = await signed({ advisorPosts: 1 });
    const nowhere = uniqueId();
    await feed(subgraph.orm, 'conventions', structureDecided, nowhere, structureState({ structureId: nowhere, advisorPosts: 1 }));
    const out = await transfer(from.structureId, nowhere, 1);
    expect(await load(from.id)).toMatchObject({ postsCount: 0 });
    expect(await row(out)).toMatchObject({ postsGivenBack: 1, postsFunded: 0, toConventionId: null });
    const to = await signed({ advisorPosts: 1 });
    const into = await transfer(nowhere, to.structureId, 1);
    expect(await load(to.id)).toMatchObject({ postsCount: 1, amountCents: 50_000_00 });
    expect(await row(into)).toMatchObject({ postsGivenBack: 0, postsFunded: 0, fromConventionId: null });
  });
});
