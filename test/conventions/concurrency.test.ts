import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ruptureValidated } from '../../common/events/catalogue.js';
import { EmploymentContract } from '../../subgraphs/conventions/entities/index.js';
import { copies, expectOneWinner } from '../support/concurrency.js';
import { envelope, feedEnvelope } from '../support/events.js';
import { createConvention, employInConventions, openTestConvention } from '../support/factories/conventions.js';
import { uniqueId } from '../support/ids.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { CONVENTION, PAY, SIGN } from './support.js';
import { succeeds } from '../support/graphql.js';

/**
 * The agreements' state machines under concurrent writes (real PostgreSQL in CI): the same step sent several
 * times at once on one agreement, tranche or amendment, or one of recruitment's contract events delivered several
 * times at once. Exactly one wins, the others get a stable code,
 * and the money still adds up.
 */
let conventions: TestSubgraph;
beforeAll(async () => {
  conventions = await openTestSubgraph('conventions');
});
afterAll(async () => {
  await conventions?.close();
});

/** Lozère, which no other suite uses: the territorial figures they read while these tests run stay theirs. */
const OWN_TERRITORY = { departementCode: '48', regionCode: '76' };

/** A signed private agreement from 2022-01-01, its first post held by a CDD covering 2022 (the others vacant). */
async function runningAgreement(advisorPosts = 1) {
  const structureId = uniqueId();
  const convention = await createConvention(conventions.orm, { ...OWN_TERRITORY, structureId, advisorPosts });
  const employed = await employInConventions(conventions.orm, { structureId, type: 'CDD', startDate: '2022-01-03', endDate: '2022-12-31' });
  const { convention: signed } = await succeeds(conventions.execute(CONVENTION, { id: convention.id }));
  return {
    id: String(convention.id),
    posts: signed.posts as { id: string }[],
    tranches: signed.tranches as { id: string }[],
    employed,
  };
}

async function agreement(id: string) {
  return (await succeeds(conventions.execute(CONVENTION, { id }))).convention;
}

describe('conventions', () => {
  test('a tranche paid three times at once is paid once; the posts received exactly its amount', async () => {
    const { id, tranches } = await runningAgreement();
    await expectOneWinner(
      copies(3, () => conventions.execute(PAY, { id: tranches[0]!.id, paidOn: '2022-03-15' })),
      ['CONFLICT'],
    );
    const after = await agreement(id);
    expect(after.tranches[0]).toMatchObject({ status: 'PAID', paidOn: '2022-03-15' });
    expect(after.posts.reduce((sum: number, p: { paidCents: number }) => sum + p.paidCents, 0)).toBe(after.tranches[0].amountCents);
    expect(after.paidCents).toBe(after.tranches[0].amountCents);
  });

  test('an AJOUT decided three times at once (accept, accept, refuse) is decided once', async () => {
    const { id } = await runningAgreement();
    const requested = await succeeds(
      conventions.execute(
        `mutation ($c: ID!) { requestAmendment(input: { conventionId: $c, type: AJOUT, postsRequested: 1, reason: FORTE_DEMANDE_TERRITOIRE, requestedOn: "2022-03-01" }) { amendment { id } } }`,
        { c: id },
      ),
    );
    const decide = `mutation ($id: ID!, $accept: Boolean!) { decideAmendment(input: { amendmentId: $id, accept: $accept, decidedOn: "2022-03-15" }) { amendment { id status } } }`;
    const amendment = requested.requestAmendment.amendment.id;
    const { winner } = await expectOneWinner(
      [
        ...copies(2, () => conventions.execute(decide, { id: amendment, accept: true })),
        () => conventions.execute(decide, { id: amendment, accept: false }),
      ],
      ['INVALID_STATUS_TRANSITION'],
    );
    expect((await agreement(id)).postsCount).toBe(winner === 2 ? 1 : 2);
  });

  test('three RETRAIT requests at once for the same vacant post: one amendment', async () => {
    const { id, posts } = await runningAgreement(2);
    const request = `mutation ($c: ID!, $p: ID!) { requestAmendment(input: { conventionId: $c, type: RETRAIT, postIds: [$p], reason: DIFFICULTES_RECRUTEMENT, requestedOn: "2022-03-01" }) { amendment { id } } }`;
    await expectOneWinner(
      copies(3, () => conventions.execute(request, { c: id, p: posts[1]!.id })),
      ['CONFLICT'],
    );
  });

  test('a rupture delivered three times at once ends the contract once', async () => {
    const { id, employed } = await runningAgreement();
    const ended = envelope(ruptureValidated, employed.state.miseEnRelationId, {
      ...employed.state,
      status: 'FINALISEE_RUPTURE',
      ruptureDate: '2022-06-30',
    });
    const deliveries = await Promise.all([1, 2, 3].map(() => feedEnvelope(conventions.orm, 'conventions', ended)));
    expect(deliveries.flat().filter((d) => d === 'applied')).toHaveLength(2);
    expect((await agreement(id)).posts[0]).toMatchObject({ state: 'VACANT', conseiller: null });
    expect(
      await conventions.orm.em.fork().findOneOrFail(EmploymentContract, { miseEnRelationId: employed.state.miseEnRelationId }),
    ).toMatchObject({
      endedEarlyOn: '2022-06-30',
    });
  });

  test('a contract signed in recruitment while the agreement is signed is received once, on one post', async () => {
    const structureId = uniqueId();
    const opened = await openTestConvention(conventions.orm, { ...OWN_TERRITORY, structureId, advisorPosts: 2 });
    const move = `mutation ($id: ID!, $state: DsState!, $at: DateTime) { moveDsFile(input: { conventionId: $id, state: $state, at: $at }) { convention { id } } }`;
    await succeeds(conventions.execute(move, { id: opened.id, state: 'en_instruction', at: '2021-12-10T10:00:00Z' }));
    await succeeds(conventions.execute(move, { id: opened.id, state: 'accepte', at: '2021-12-20T10:00:00Z' }));
    const [signed, employed] = await Promise.all([
      conventions.execute(SIGN, { id: opened.id, signedOn: '2022-01-01' }),
      employInConventions(conventions.orm, { structureId, type: 'CDI', startDate: '2022-01-03' }),
    ]);
    await succeeds(signed);
    const after = await agreement(String(opened.id));
    expect(after.posts.map((p: { state: string; conseiller: { id: string } | null }) => [p.state, p.conseiller?.id ?? null])).toEqual([
      ['OCCUPE', String(employed.state.conseillerId)],
      ['VACANT', null],
    ]);
    expect(await conventions.orm.em.fork().count(EmploymentContract, { miseEnRelationId: employed.state.miseEnRelationId })).toBe(1);
  });

  test('an agreement signed three times at once has one payment schedule', async () => {
    const opened = await openTestConvention(conventions.orm, { ...OWN_TERRITORY, structureId: uniqueId() });
    const move = `mutation ($id: ID!, $state: DsState!, $at: DateTime) { moveDsFile(input: { conventionId: $id, state: $state, at: $at }) { convention { id } } }`;
    await succeeds(conventions.execute(move, { id: opened.id, state: 'en_instruction', at: '2021-12-10T10:00:00Z' }));
    await succeeds(conventions.execute(move, { id: opened.id, state: 'accepte', at: '2021-12-20T10:00:00Z' }));
    await expectOneWinner(
      copies(3, () => conventions.execute(SIGN, { id: opened.id, signedOn: '2022-01-01' })),
      ['INVALID_STATUS_TRANSITION'],
    );
    expect((await agreement(String(opened.id))).tranches).toHaveLength(2);
  });

  test('an early exit sent twice at once terminates once, with one set of credit notes', async () => {
    const { id, tranches } = await runningAgreement();
    await succeeds(conventions.execute(PAY, { id: tranches[0]!.id, paidOn: '2022-03-15' }));
    const terminate = `mutation ($id: ID!) { terminateConvention(input: { conventionId: $id, kind: EARLY_EXIT, on: "2022-06-30" }) { convention { id } } }`;
    await expectOneWinner(
      copies(2, () => conventions.execute(terminate, { id })),
      ['INVALID_STATUS_TRANSITION'],
    );
    const after = await agreement(id);
    expect(after.terminatedOn).toBe('2022-06-30');
    expect(after.creditNotes.length).toBeLessThanOrEqual(after.posts.length);
  });
});
