import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { atOnce, copies, expectOneWinner, outcomeOf } from '../support/concurrency.js';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { cdd, contractOf, MER_FIELDS } from './helpers.js';
import { succeeds } from '../support/graphql.js';

/**
 * Every recruitment state machine under concurrent writes (real PostgreSQL in CI): the same step sent several
 * times at once, or two steps that exclude each other, on one row. Exactly one wins, the others get a stable
 * code, and the rows still tell one story.
 */
let recruitment: TestSubgraph;
beforeAll(async () => {
  recruitment = await openTestSubgraph('recruitment');
});
afterAll(async () => {
  await recruitment?.close();
});

const step = (name: string) => `mutation ($id: ID!) { ${name}(input: { miseEnRelationId: $id }) { miseEnRelation { id } } }`;
const RECRUIT = `mutation ($id: ID!, $contract: ContractInput!) { recruitCandidate(input: { miseEnRelationId: $id, contract: $contract }) { miseEnRelation { id } } }`;
/**
 * The structures here live in a made-up territory (a letter first, never a real code): the figures other suites
 * read for Bouches-du-Rhône, while these tests run, stay theirs.
 */
const OWN_TERRITORY = { departementCode: 'X13', regionCode: 'X93' };
const MER = `query ($id: ID!) { miseEnRelation(id: $id) { ${MER_FIELDS} extensions { status } renewedBy { id } } }`;

async function stateOf(id: number) {
  return (await succeeds(recruitment.execute(MER, { id }))).miseEnRelation;
}

/** Moves into `to`, as the history records them. */
function movesInto(history: { toStatus: string }[], to: string): number {
  return history.filter((e) => e.toStatus === to).length;
}

async function pair(status: 'INTERESSEE' | 'RECRUTEE' | 'FINALISEE' | 'NOUVELLE_RUPTURE', options: { postQuota?: number } = {}) {
  const structure = await createStructure(recruitment.orm, { ...OWN_TERRITORY, postQuota: options.postQuota ?? 5 });
  const inPost = status === 'FINALISEE' || status === 'NOUVELLE_RUPTURE';
  const conseiller = await createConseiller(recruitment.orm, inPost ? { structureId: structure.id } : {});
  const contract = status === 'INTERESSEE' ? {} : contractOf(cdd('2025-01-06', '2026-01-05'));
  const rupture = status === 'NOUVELLE_RUPTURE' ? { ruptureDate: '2025-06-30', ruptureReason: 'DEMISSION' as const } : {};
  const mer = await createMiseEnRelation(recruitment.orm, {
    structureId: structure.id,
    conseillerId: conseiller.id,
    status,
    ...contract,
    ...rupture,
  });
  return { structure, conseiller, mer };
}

describe('mises en relation', () => {
  test('six recruitCandidate at once on one match: one RECRUTEE, one event, the others INVALID_STATUS_TRANSITION', async () => {
    const { structure, mer } = await pair('INTERESSEE');
    await expectOneWinner(
      copies(6, () => recruitment.execute(RECRUIT, { id: mer.id, contract: cdd() })),
      ['INVALID_STATUS_TRANSITION'],
    );
    const after = await stateOf(mer.id);
    expect(after.status).toBe('RECRUTEE');
    expect(movesInto(after.history, 'RECRUTEE')).toBe(1);
    expect(after.structure).toEqual({ id: String(structure.id), occupiedPosts: 1 });
  });

  test.each([1, 2, 3])('validateRecruitment against cancelRecruitment (round %i): either outcome, consistent', async () => {
    const { mer } = await pair('RECRUTEE');
    const { winner } = await expectOneWinner(
      [
        () => recruitment.execute(step('validateRecruitment'), { id: mer.id }),
        () => recruitment.execute(step('cancelRecruitment'), { id: mer.id }),
      ],
      ['INVALID_STATUS_TRANSITION'],
    );
    const after = await stateOf(mer.id);
    if (winner === 0) {
      expect(after).toMatchObject({
        status: 'FINALISEE',
        contract: { type: 'CDD', startDate: '2025-01-06', endDate: '2026-01-05' },
        conseiller: { status: 'RECRUTE', isAvailable: false, structure: { id: after.structure.id } },
      });
    } else {
      expect(after).toMatchObject({ status: 'INTERESSEE', contract: null, conseiller: { status: 'CANDIDAT', structure: null } });
    }
    expect(after.history).toHaveLength(1);
  });

  test.each([1, 2])(
    'validateRecruitment against a matching run at another structure (round %i): an advisor in post keeps no open match',
    async () => {
      const { conseiller, mer } = await pair('RECRUTEE');
      const elsewhere = await createStructure(recruitment.orm, OWN_TERRITORY);
      const responses = await atOnce([
        () => recruitment.execute(step('validateRecruitment'), { id: mer.id }),
        () => recruitment.execute(`mutation ($s: ID!) { matchCandidates(input: { structureId: $s }) { created } }`, { s: elsewhere.id }),
      ]);
      expect(responses.map(outcomeOf)).toEqual(['OK', 'OK']);
      const open = await succeeds(
        recruitment.execute(
          `query ($c: ID!) { misesEnRelation(filter: { conseillerId: $c, status: [NOUVELLE, INTERESSEE] }) { totalCount } }`,
          { c: conseiller.id },
        ),
      );
      expect(open.misesEnRelation.totalCount).toBe(0);
    },
  );

  test('validateRupture against cancelRupture: the advisor leaves only with a validated rupture', async () => {
    const { mer } = await pair('NOUVELLE_RUPTURE');
    const { winner } = await expectOneWinner(
      [
        () => recruitment.execute(step('validateRupture'), { id: mer.id }),
        () => recruitment.execute(step('cancelRupture'), { id: mer.id }),
      ],
      ['INVALID_STATUS_TRANSITION'],
    );
    const after = await stateOf(mer.id);
    if (winner === 0) {
      expect(after).toMatchObject({
        status: 'FINALISEE_RUPTURE',
        rupture: { date: '2025-06-30', reason: 'DEMISSION' },
        conseiller: { status: 'RUPTURE', structure: null },
      });
    } else {
      expect(after).toMatchObject({ status: 'FINALISEE', rupture: null, conseiller: { status: 'RECRUTE' } });
    }
    expect(after.history).toHaveLength(1);
  });

  test('four declareRupture at once: one pending rupture', async () => {
    const { mer } = await pair('FINALISEE');
    const declare = `mutation ($id: ID!) { declareRupture(input: { miseEnRelationId: $id, date: "2025-06-30", reason: DEMISSION }) { miseEnRelation { id } } }`;
    await expectOneWinner(
      copies(4, () => recruitment.execute(declare, { id: mer.id })),
      ['INVALID_STATUS_TRANSITION'],
    );
    const after = await stateOf(mer.id);
    expect(after.status).toBe('NOUVELLE_RUPTURE');
    expect(movesInto(after.history, 'NOUVELLE_RUPTURE')).toBe(1);
  });

  test('renewal: four renewContract at once open one renewal; three validateRenewal at once close the old contract once', async () => {
    const { mer } = await pair('FINALISEE');
    const renew = `mutation ($id: ID!) { renewContract(input: { miseEnRelationId: $id, contract: { type: CDI, startDate: "2026-01-06", grossMonthlySalaryCents: 200000 } }) { miseEnRelation { id } } }`;
    const { responses, winner } = await expectOneWinner(
      copies(4, () => recruitment.execute<{ renewContract: { miseEnRelation: { id: string } } }>(renew, { id: mer.id })),
      ['CONFLICT'],
    );
    const renewalId = Number(responses[winner]!.data!.renewContract.miseEnRelation.id);

    await expectOneWinner(
      copies(3, () => recruitment.execute(step('validateRenewal'), { id: renewalId })),
      ['INVALID_STATUS_TRANSITION'],
    );
    const [old, renewal] = [await stateOf(mer.id), await stateOf(renewalId)];
    expect(old.status).toBe('TERMINEE');
    expect(movesInto(old.history, 'TERMINEE')).toBe(1);
    expect(renewal.status).toBe('FINALISEE');
    expect(movesInto(renewal.history, 'FINALISEE')).toBe(1);
    expect(old.structure.occupiedPosts).toBe(1);
  });

  test('three requestContractExtension at once: one extension waiting', async () => {
    const { mer } = await pair('FINALISEE');
    const request = `mutation ($id: ID!) { requestContractExtension(input: { miseEnRelationId: $id, requestedEndDate: "2026-12-31" }) { miseEnRelation { id } } }`;
    await expectOneWinner(
      copies(3, () => recruitment.execute(request, { id: mer.id })),
      ['CONFLICT'],
    );
    expect((await stateOf(mer.id)).extensions).toEqual([{ status: 'INITIEE' }]);
  });
});

describe('post requests', () => {
  const STRUCTURE = `query ($id: ID!) { structure(id: $id) { postQuota coselecDecisions { postsGranted } postRequests { status } } }`;

  test('an AJOUT accepted three times at once grants its posts once', async () => {
    const structure = await createStructure(recruitment.orm, { ...OWN_TERRITORY, postQuota: 1 });
    const requested = await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { requestPosts(input: { structureId: $id, posts: 2, reason: FORTE_DEMANDE }) { postRequest { id } } }`,
        { id: structure.id },
      ),
    );
    const decide = `mutation ($id: ID!, $accept: Boolean!) { decidePostRequest(input: { postRequestId: $id, accept: $accept }) { postRequest { status } } }`;
    const id = requested.requestPosts.postRequest.id;
    await expectOneWinner(
      [...copies(3, () => recruitment.execute(decide, { id, accept: true })), () => recruitment.execute(decide, { id, accept: false })],
      ['CONFLICT'],
    );
    const after = (await succeeds(recruitment.execute(STRUCTURE, { id: structure.id }))).structure;
    const accepted = after.postRequests[0].status === 'VALIDEE';
    expect(after).toEqual({
      postQuota: accepted ? 3 : 1,
      coselecDecisions: accepted ? [{ postsGranted: 3 }] : [],
      postRequests: [{ status: accepted ? 'VALIDEE' : 'REFUSEE' }],
    });
  });

  test('three requestPosts at once: one request waiting', async () => {
    const structure = await createStructure(recruitment.orm, { ...OWN_TERRITORY, postQuota: 1 });
    const request = `mutation ($id: ID!) { requestPosts(input: { structureId: $id, posts: 1, reason: FORTE_DEMANDE }) { postRequest { id } } }`;
    await expectOneWinner(
      copies(3, () => recruitment.execute(request, { id: structure.id })),
      ['CONFLICT'],
    );
    expect((await succeeds(recruitment.execute(STRUCTURE, { id: structure.id }))).structure.postRequests).toEqual([{ status: 'EN_COURS' }]);
  });
});
