import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { contractRenewed } from '../../common/events/catalogue.js';
import { contractStateOfCopy, RecruitmentContract } from '../../common/events/copies.js';
import { EmploymentContract, Post } from '../../subgraphs/conventions/entities/index.js';
import { employInConventions, ruptureInConventions } from '../support/factories/conventions.js';
import { uniqueId } from '../support/ids.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { CONVENTION, CONVENTION_FIELDS, MOVE, OPEN, openInput, PAY, SIGN } from './support.js';
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
  const {
    openConvention: { convention: opened },
  } = await succeeds(subgraph.execute(OPEN, { input: openInput(overrides) }));
  await succeeds(subgraph.execute(MOVE, { id: opened.id, state: 'en_instruction', at: '2021-11-01T09:00:00Z' }));
  await succeeds(subgraph.execute(MOVE, { id: opened.id, state: 'accepte', at: '2021-12-01T09:00:00Z' }));
  return (await succeeds(subgraph.execute(SIGN, { id: opened.id, signedOn }))).signConvention.convention;
}

/**
 * Recruitment validates a CDI at the post's structure: conventions receives it on its first vacant post, which must
 * be `postId`. The advisor's id.
 */
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

const REQUEST = /* GraphQL */ `
  mutation ($input: RequestAmendmentInput!) {
    requestAmendment(input: $input) {
      amendment {
        id
        type
        status
        coordinator
        reason
        postsBefore
        postsRequested
        givenBackPosts {
          id
        }
      }
    }
  }
`;
const DECIDE = /* GraphQL */ `
  mutation ($id: ID!, $accept: Boolean!, $decidedOn: Date!, $granted: Int) {
    decideAmendment(input: { amendmentId: $id, accept: $accept, decidedOn: $decidedOn, postsGranted: $granted }) {
      amendment { id status postsGranted decidedOn convention { ${CONVENTION_FIELDS} } }
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
const TRANSFER = /* GraphQL */ `
  mutation ($postId: ID!, $to: ID!, $on: Date!) {
    transferPost(input: { postId: $postId, toConventionId: $to, on: $on }) {
      post {
        id
        state
        fundingStart
        fundingMonths
        fundingCents
        conseiller {
          id
        }
        transferredFrom {
          id
          state
          exitReason
          givenBackOn
          fundingCents
        }
        convention {
          id
          postsCount
          amountCents
        }
      }
    }
  }
`;
describe('amendments (avenants)', () => {
  test('AJOUT: requested, then granted posts are added vacant, funded for the months left, and the unpaid tranches grow', async () => {
    const c = await signed({ advisorPosts: 1 });
    const reason = await failsWith(
      'BAD_USER_INPUT',
      subgraph.execute(REQUEST, {
        input: { conventionId: c.id, type: 'AJOUT', postsRequested: 2, reason: 'FIN_DE_SUBVENTIONNEMENT', requestedOn: '2022-06-01' },
      }),
    );
    expect(reason).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect(
      await failsWith(
        'BAD_USER_INPUT',
        subgraph.execute(REQUEST, {
          input: { conventionId: c.id, type: 'AJOUT', postsRequested: 2, reason: 'AUTRE', requestedOn: '2022-06-01' },
        }),
      ),
    ).toMatchObject({ field: 'input.reasonDetail' });

    const {
      requestAmendment: { amendment: a },
    } = await succeeds(
      subgraph.execute(REQUEST, {
        input: { conventionId: c.id, type: 'AJOUT', postsRequested: 2, reason: 'FORTE_DEMANDE_TERRITOIRE', requestedOn: '2022-06-01' },
      }),
    );
    expect(a).toMatchObject({ type: 'AJOUT', status: 'EN_COURS', postsBefore: 1, postsRequested: 2, coordinator: false });
    expect(
      await failsWith('BAD_USER_INPUT', subgraph.execute(DECIDE, { id: a.id, accept: true, decidedOn: '2022-07-01', granted: 3 })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.postsGranted',
    });

    const {
      decideAmendment: { amendment: d },
    } = await succeeds(subgraph.execute(DECIDE, { id: a.id, accept: true, decidedOn: '2022-07-01', granted: 1 }));
    expect(d).toMatchObject({ status: 'VALIDEE', postsGranted: 1, decidedOn: '2022-07-01' });
    // Added on 2022-07-01: 18 of the 24 months left → 37,500 €; 6 months in year 1, 12 in year 2.
    expect(d.convention.posts[1]).toMatchObject({
      state: 'VACANT',
      fundingStart: '2022-07-01',
      fundingMonths: 18,
      fundingCents: 37_500_00,
    });
    expect(d.convention).toMatchObject({ postsCount: 2, amountCents: 87_500_00 });
    expect(d.convention.tranches.map((t: Data) => t.amountCents)).toEqual([25_000_00 + 12_500_00, 25_000_00 + 25_000_00]);
    expect(
      await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(DECIDE, { id: a.id, accept: false, decidedOn: '2022-07-02' })),
    ).toMatchObject({
      code: 'INVALID_STATUS_TRANSITION',
      from: 'VALIDEE',
      to: 'REFUSEE',
    });
  });

  test('RETRAIT: only vacant posts; once validated the post is cut to its months and what was overpaid becomes a credit note', async () => {
    const c = await signed({ advisorPosts: 2 });
    await occupy(c.posts[0].id);
    expect(
      await failsWith(
        'BAD_USER_INPUT',
        subgraph.execute(REQUEST, {
          input: {
            conventionId: c.id,
            type: 'RETRAIT',
            postIds: [c.posts[0].id],
            reason: 'DIFFICULTES_RECRUTEMENT',
            requestedOn: '2022-02-01',
          },
        }),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.postIds' });
    await occupy(c.posts[1].id);
    await succeeds(subgraph.execute(PAY, { id: c.tranches[0].id, paidOn: '2022-01-15' }));
    // The second advisor leaves after 5 months; the post is then handed back.
    await leave(c.posts[1].id, '2022-05-31');
    expect(
      (
        await succeeds(
          subgraph.execute(`query ($id: ID!) { post(id: $id) { state conseiller { id } contracts { endedEarlyOn } } }`, {
            id: c.posts[1].id,
          }),
        )
      ).post,
    ).toEqual({ state: 'VACANT', conseiller: null, contracts: [{ endedEarlyOn: '2022-05-31' }] });

    const {
      requestAmendment: { amendment: r },
    } = await succeeds(
      subgraph.execute(REQUEST, {
        input: {
          conventionId: c.id,
          type: 'RETRAIT',
          postIds: [c.posts[1].id],
          reason: 'DIFFICULTES_RECRUTEMENT',
          requestedOn: '2022-06-01',
        },
      }),
    );
    expect(r).toMatchObject({ type: 'RETRAIT', status: 'EN_COURS', postsBefore: 2, givenBackPosts: [{ id: c.posts[1].id }] });
    expect(
      await failsWith(
        'CONFLICT',
        subgraph.execute(REQUEST, {
          input: {
            conventionId: c.id,
            type: 'RETRAIT',
            postIds: [c.posts[1].id],
            reason: 'BESOIN_NON_JUSTIFIE',
            requestedOn: '2022-06-02',
          },
        }),
      ),
    ).toMatchObject({ code: 'CONFLICT' });

    const {
      decideAmendment: { amendment: d },
    } = await succeeds(subgraph.execute(DECIDE, { id: r.id, accept: true, decidedOn: '2022-06-15' }));
    const post = d.convention.posts[1];
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
    expect(d.convention.creditNotes).toEqual([
      { amountCents: 14_583_34, reason: 'POST_GIVEN_BACK', issuedOn: '2022-06-15', post: { id: post.id } },
    ]);
    expect(d.convention).toMatchObject({
      postsCount: 1,
      amountCents: 60_416_66,
      paidCents: 50_000_00,
      creditNotesCents: 14_583_34,
      remainingOwedCents: 25_000_00,
    });
    expect(d.convention.tranches[1]).toMatchObject({ amountCents: 25_000_00, status: 'DUE' });
  });

  test('a RETRAIT whose post was filled meanwhile is refused at decision, and nothing is written', async () => {
    const c = await signed({ advisorPosts: 2 });
    const {
      requestAmendment: { amendment: r },
    } = await succeeds(
      subgraph.execute(REQUEST, {
        input: { conventionId: c.id, type: 'RETRAIT', postIds: [c.posts[1].id], reason: 'BESOIN_NON_JUSTIFIE', requestedOn: '2022-03-01' },
      }),
    );
    // Contracts are received on the first vacant post: both are filled.
    await occupy(c.posts[0].id, '2022-03-15');
    await occupy(c.posts[1].id, '2022-03-15');
    expect(await failsWith('BAD_USER_INPUT', subgraph.execute(DECIDE, { id: r.id, accept: true, decidedOn: '2022-04-01' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.amendmentId',
      message: `Post ${c.posts[1].id} is OCCUPE: only vacant posts can be handed back.`,
    });
    const after = await load(c.id);
    expect(after).toMatchObject({ postsCount: 2, amountCents: 100_000_00, creditNotes: [] });
    expect(after.posts[1].state).toBe('OCCUPE');
    const { amendment } = await succeeds(
      subgraph.execute(`query ($id: ID!) { convention(id: $id) { amendments { status } } }`, { id: c.id }),
    ).then((d) => ({ amendment: d.convention.amendments[0] }));
    expect(amendment.status).toBe('EN_COURS');
  });

  test('a refused amendment changes nothing', async () => {
    const c = await signed({ advisorPosts: 1 });
    const {
      requestAmendment: { amendment: a },
    } = await succeeds(
      subgraph.execute(REQUEST, {
        input: {
          conventionId: c.id,
          type: 'AJOUT',
          postsRequested: 1,
          coordinatorContract: 'CDD',
          reason: 'RENFORCER_EQUIPE',
          requestedOn: '2022-03-01',
        },
      }),
    );
    expect(a.coordinator).toBe(true);
    const {
      decideAmendment: { amendment: d },
    } = await succeeds(subgraph.execute(DECIDE, { id: a.id, accept: false, decidedOn: '2022-03-10' }));
    expect(d).toMatchObject({ status: 'REFUSEE', postsGranted: null, convention: { postsCount: 1, amountCents: 50_000_00 } });
  });
});

describe('prefecture opinion and the amendments list', () => {
  const OPINION = /* GraphQL */ `
    mutation ($input: GivePrefectOpinionInput!) {
      givePrefectOpinion(input: $input) {
        amendment {
          id
          prefectOpinion
          prefectComment
          prefectOpinionOn
          transferFromStructure {
            id
          }
        }
      }
    }
  `;
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
          }
        }
      }
    }
  `;

  test('the prefecture gives its opinion on a pending request; lists filter on it, on type, status and territory', async () => {
    // A territory of its own ('810' in the unused région code '10'), so the counts below are this test's.
    const c = await signed({ advisorPosts: 2, departementCode: '810', regionCode: '10' });
    const ask = (requestedOn: string) =>
      succeeds(
        subgraph.execute(REQUEST, {
          input: { conventionId: c.id, type: 'AJOUT', postsRequested: 1, reason: 'DEVELOPPER_OFFRE', requestedOn },
        }),
      );
    const a1 = (await ask('2022-02-01')).requestAmendment.amendment;
    const a2 = (await ask('2022-02-02')).requestAmendment.amendment;
    const r = (
      await succeeds(
        subgraph.execute(REQUEST, {
          input: {
            conventionId: c.id,
            type: 'RETRAIT',
            postIds: [c.posts[0].id],
            reason: 'BESOIN_NON_JUSTIFIE',
            requestedOn: '2022-02-03',
          },
        }),
      )
    ).requestAmendment.amendment;

    const donor = String(uniqueId());
    expect(
      await failsWith(
        'BAD_USER_INPUT',
        subgraph.execute(OPINION, { input: { amendmentId: a1.id, opinion: 'POSITIF', comment: 'Trop bref', givenOn: '2022-02-05' } }),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.comment' });
    expect(
      await failsWith(
        'BAD_USER_INPUT',
        subgraph.execute(OPINION, {
          input: {
            amendmentId: r.id,
            opinion: 'POSITIF',
            comment: 'Avis favorable au transfert.',
            givenOn: '2022-02-05',
            transferFromStructureId: donor,
          },
        }),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.transferFromStructureId' });
    const given = await succeeds(
      subgraph.execute(OPINION, {
        input: {
          amendmentId: a1.id,
          opinion: 'POSITIF',
          comment: 'Avis favorable : forte demande locale.',
          givenOn: '2022-02-05',
          transferFromStructureId: donor,
        },
      }),
    );
    expect(given.givePrefectOpinion.amendment).toEqual({
      id: a1.id,
      prefectOpinion: 'POSITIF',
      prefectComment: 'Avis favorable : forte demande locale.',
      prefectOpinionOn: '2022-02-05',
      transferFromStructure: { id: donor },
    });
    await succeeds(
      subgraph.execute(OPINION, {
        input: {
          amendmentId: r.id,
          opinion: 'NEGATIF',
          comment: 'Le besoin reste réel sur ce territoire.',
          givenOn: '2022-02-06',
        },
      }),
    );
    await succeeds(subgraph.execute(DECIDE, { id: a2.id, accept: false, decidedOn: '2022-02-10' }));
    expect(
      await failsWith(
        'INVALID_STATUS_TRANSITION',
        subgraph.execute(OPINION, {
          input: { amendmentId: a2.id, opinion: 'POSITIF', comment: 'Avis favorable, trop tard.', givenOn: '2022-02-11' },
        }),
      ),
    ).toMatchObject({ code: 'INVALID_STATUS_TRANSITION' });

    const list = async (filter: Record<string, unknown>) =>
      (await succeeds(subgraph.execute(LIST, { filter: { departementCode: '810', ...filter } }))).amendments;
    expect((await list({})).edges.map((e: Data) => e.node.id)).toEqual([r.id, a2.id, a1.id]);
    expect((await list({ type: 'AJOUT' })).totalCount).toBe(2);
    expect((await list({ status: ['EN_COURS'] })).totalCount).toBe(2);
    expect((await list({ prefectOpinion: 'NEGATIF' })).edges.map((e: Data) => e.node.id)).toEqual([r.id]);
    expect((await list({ awaitingPrefectOpinion: true })).edges.map((e: Data) => e.node.id)).toEqual([a2.id]);
    expect((await list({ regionCode: '10', awaitingPrefectOpinion: false })).totalCount).toBe(2);

    const page1 = (await succeeds(subgraph.execute(LIST, { first: 2, filter: { departementCode: '810' } }))).amendments;
    expect(page1).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const page2 = (
      await succeeds(subgraph.execute(LIST, { first: 2, after: page1.pageInfo.endCursor, filter: { departementCode: '810' } }))
    ).amendments;
    expect(page2.edges.map((e: Data) => e.node.id)).toEqual([a1.id]);
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
    // An agreement that ended funds no post: a contract signed afterwards is not received on it.
    const post = await subgraph.orm.em.fork().findOneOrFail(Post, Number(c.posts[0].id));
    expect(
      (await employInConventions(subgraph.orm, { structureId: post.structureId, type: 'CDI', startDate: '2022-05-01' })).contract,
    ).toBeNull();
  });
});

describe('renewal (reconventionnement)', () => {
  test('a phase-1 agreement renews into phase 2: RECONVENTIONNEMENT_INITIE → RECONVENTIONNEMENT_VALIDE, 42,500 € a post or 50,000 € in a QPV/ZRR', async () => {
    const c = await signed({ advisorPosts: 2, sector: 'PRIVATE', legalCategory: 'ASSOCIATION', durationMonths: 24 });
    const advisor = await occupy(c.posts[0].id);
    const {
      renewConvention: { convention: r },
    } = await succeeds(
      subgraph.execute(RENEW, {
        input: {
          conventionId: c.id,
          dsNumber: uniqueId(),
          priorityArea: true,
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
    // The phase-1 post is now renewed; the phase-2 post waits for its advisor's renewed contract.
    expect((await load(c.id)).posts.map((p: Data) => p.renewed)).toEqual([true, false]);
    expect((await load(r.id)).tranches[0].status).toBe('BLOCKED');
    const em = subgraph.orm.em.fork();
    const first = await em.findOneOrFail(EmploymentContract, { post: Number(c.posts[0].id) }, { populate: ['post'] });
    const renewed = await employInConventions(subgraph.orm, {
      structureId: first.post.structureId,
      conseillerId: Number(advisor),
      phase: 'PHASE_2',
      renewalOfId: first.miseEnRelationId,
      type: 'CDI',
      startDate: '2024-01-01',
      event: contractRenewed,
    });
    expect(renewed.contract?.post.id).toBe(Number(s.posts[0].id));
    expect((await load(r.id)).tranches[0].status).toBe('DUE');
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

describe('transfers', () => {
  test('a post moves to another structure: given back here, funded there for the months left, with its advisor', async () => {
    const from = await signed({ advisorPosts: 1 });
    const to = await signed({ advisorPosts: 1, departementCode: '974', regionCode: '04' });
    const advisor = await occupy(from.posts[0].id);
    expect(
      await failsWith('BAD_USER_INPUT', subgraph.execute(TRANSFER, { postId: from.posts[0].id, to: from.id, on: '2022-10-01' })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.toConventionId',
    });
    const {
      transferPost: { post: moved },
    } = await succeeds(subgraph.execute(TRANSFER, { postId: from.posts[0].id, to: to.id, on: '2022-10-01' }));
    // 15 of the 24 months left in La Réunion (67,500 € a post): 42,187.50 €.
    expect(moved).toMatchObject({
      state: 'OCCUPE',
      conseiller: { id: advisor },
      fundingStart: '2022-10-01',
      fundingMonths: 15,
      fundingCents: 42_187_50,
      transferredFrom: {
        id: from.posts[0].id,
        state: 'RENDU',
        exitReason: 'TRANSFERT',
        givenBackOn: '2022-10-01',
        fundingCents: 20_833_33,
      },
      convention: { id: to.id, postsCount: 2, amountCents: 67_500_00 + 42_187_50 },
    });
    expect(await load(from.id)).toMatchObject({ postsCount: 0, amountCents: 20_833_33 });
  });
});
