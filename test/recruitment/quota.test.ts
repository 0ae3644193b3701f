import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { outcomeOf } from '../support/concurrency.js';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { cdd } from './helpers.js';
import { errorCodes, succeeds, failsWith } from '../support/graphql.js';

/**
 * The quota rule under concurrency, on the real PostgreSQL: many recruitments for one structure sent at once, on
 * separate connections; the structure's row lock lets exactly `quota` of them through.
 */
let recruitment: TestSubgraph;
beforeAll(async () => {
  recruitment = await openTestSubgraph('recruitment');
});
afterAll(async () => {
  await recruitment?.close();
});

const RECRUIT = `mutation ($id: ID!, $contract: ContractInput!) { recruitCandidate(input: { miseEnRelationId: $id, contract: $contract }) { miseEnRelation { id status } } }`;

async function preselected(structureId: number, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const candidate = await createConseiller(recruitment.orm);
    ids.push((await createMiseEnRelation(recruitment.orm, { structureId, conseillerId: candidate.id, status: 'INTERESSEE' })).id);
  }
  return ids;
}

describe('a structure never has more contracts than its quota', () => {
  test.each([
    [1, 8],
    [3, 12],
  ])('quota %i, %i recruitments at once → exactly the quota succeed, the others get QUOTA_EXCEEDED', async (quota, attempts) => {
    const structure = await createStructure(recruitment.orm, { postQuota: quota });
    const merIds = await preselected(structure.id, attempts);
    const responses = await Promise.all(merIds.map((id) => recruitment.execute(RECRUIT, { id, contract: cdd() })));

    const succeeded = responses.filter((r) => !r.errors);
    const codes = responses.flatMap(errorCodes);
    expect(succeeded).toHaveLength(quota);
    expect(codes).toEqual(Array(attempts - quota).fill('QUOTA_EXCEEDED'));

    const after = await succeeds(
      recruitment.execute(
        `query ($id: ID!) { structure(id: $id) { postQuota occupiedPosts } misesEnRelation(first: 100, filter: { structureId: $id, status: [RECRUTEE] }) { totalCount } }`,
        { id: structure.id },
      ),
    );
    expect(after).toEqual({ structure: { postQuota: quota, occupiedPosts: quota }, misesEnRelation: { totalCount: quota } });
  });

  test('lowering the quota below the posts held is refused, concurrently with a recruitment too', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 2 });
    const [first, second] = await preselected(structure.id, 2);
    await succeeds(recruitment.execute(RECRUIT, { id: first, contract: cdd() }));
    const decide = `mutation ($id: ID!, $posts: Int!) { recordCoselecDecision(input: { structureId: $id, opinion: POSITIF, postsGranted: $posts, number: "COSELEC 40" }) { structure { postQuota } } }`;
    // Down to 1 while the second recruitment races it: whichever commits first, the quota still covers the contracts.
    const [lowered, recruited] = await Promise.all([
      recruitment.execute(decide, { id: structure.id, posts: 1 }),
      recruitment.execute(RECRUIT, { id: second, contract: cdd() }),
    ]);
    const outcomes = [lowered, recruited].map(outcomeOf).sort();
    expect(outcomes).toEqual(['OK', 'QUOTA_EXCEEDED']);
    const after = await succeeds(
      recruitment.execute(`query ($id: ID!) { structure(id: $id) { postQuota occupiedPosts } }`, { id: structure.id }),
    );
    expect(after.structure.occupiedPosts).toBeLessThanOrEqual(after.structure.postQuota);

    const error = await failsWith('QUOTA_EXCEEDED', recruitment.execute(decide, { id: structure.id, posts: 0 }));
    expect(error).toMatchObject({ occupied: after.structure.occupiedPosts, quota: 0 });
  });

  test('a coordinator contract needs a validated coordinator post', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 2 });
    const [merId] = await preselected(structure.id, 1);
    const recruitCoordinator = `mutation ($id: ID!, $contract: ContractInput!) { recruitCandidate(input: { miseEnRelationId: $id, contract: $contract, isCoordinatorContract: true }) { miseEnRelation { status } } }`;
    expect((await failsWith('QUOTA_EXCEEDED', recruitment.execute(recruitCoordinator, { id: merId, contract: cdd() }))).message).toMatch(
      /coordinator post/,
    );

    const requested = await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { requestCoordinatorPost(input: { structureId: $id, dossierNumber: 1234567 }) { coordinatorRequest { id status } } }`,
        { id: structure.id },
      ),
    );
    const decided = await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { decideCoordinatorRequest(input: { coordinatorRequestId: $id, accept: true }) { coordinatorRequest { status } structure { postQuota coselecDecisions { type postsGranted } } } }`,
        { id: requested.requestCoordinatorPost.coordinatorRequest.id },
      ),
    );
    expect(decided.decideCoordinatorRequest).toEqual({
      coordinatorRequest: { status: 'VALIDEE' },
      structure: { postQuota: 3, coselecDecisions: [{ type: 'COORDINATEUR', postsGranted: 3 }] },
    });
    expect(
      (await succeeds(recruitment.execute(recruitCoordinator, { id: merId, contract: cdd() }))).recruitCandidate.miseEnRelation.status,
    ).toBe('RECRUTEE');
    const validated = await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { validateRecruitment(input: { miseEnRelationId: $id }) { miseEnRelation { isCoordinatorContract conseiller { isCoordinator } } } }`,
        { id: merId },
      ),
    );
    expect(validated.validateRecruitment.miseEnRelation).toEqual({ isCoordinatorContract: true, conseiller: { isCoordinator: true } });
  });

  test('transfers in both directions at once never deadlock, and the posts are conserved', async () => {
    const a = await createStructure(recruitment.orm, { postQuota: 5 });
    const b = await createStructure(recruitment.orm, { postQuota: 5 });
    const TRANSFER = `mutation ($from: ID!, $to: ID!) { transferPosts(input: { fromStructureId: $from, toStructureId: $to, posts: 1 }) { transfer { posts } } }`;
    const calls = Array.from({ length: 12 }, (_, i) => (i % 2 ? { from: a.id, to: b.id } : { from: b.id, to: a.id }));
    const responses = await Promise.all(calls.map((v) => recruitment.execute(TRANSFER, v)));
    expect(responses.flatMap((r) => r.errors ?? [])).toEqual([]);
    const after = await succeeds(
      recruitment.execute(
        `query ($a: ID!, $b: ID!) { a: structure(id: $a) { postQuota coselecDecisions { id } } b: structure(id: $b) { postQuota } }`,
        { a: a.id, b: b.id },
      ),
    );
    expect(after.a.postQuota + after.b.postQuota).toBe(10);
    expect(after.a.postQuota).toBe(5);
    expect(after.a.coselecDecisions).toHaveLength(12);
  });
});
