import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ruptureValidated, postRequestDecided, postsTransferred } from '../../common/events/catalogue.js';
import { EmploymentContract, Amendment, Convention } from '../../subgraphs/conventions/entities/index.js';
import { copies, expectOneWinner } from '../support/concurrency.js';
import { envelope, feedEnvelope, feed, postRequestState } from '../support/events.js';
import { createConvention, employInConventions, openTestConvention } from '../support/factories/conventions.js';
import { uniqueId } from '../support/ids.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { CONVENTION, PAY, SIGN } from './support.js';
import { succeeds } from '../support/graphql.js';

/**
 * The agreements' state machines under concurrent writes (real PostgreSQL in CI): the same step sent several
 * times at once on one agreement or tranche, and recruitment's events (contracts, post requests, transfers) delivered
 * several times at once. Exactly one wins, the others get a stable code,
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

  test('a post request delivered three times at once (one event, then the same request under three event ids) is applied once', async () => {
    const { id } = await runningAgreement();
    const structureId = (await conventions.orm.em.fork().findOneOrFail(Convention, Number(id))).structureId;
    const request = postRequestState({ structureId, decidedOn: '2022-03-15' });
    const event = envelope(postRequestDecided, request.postRequestId, request);
    const deliveries = await Promise.all(copies(3, () => feedEnvelope(conventions.orm, 'conventions', event)).map((f) => f()));
    expect(deliveries.flat().sort()).toEqual(['applied', 'duplicate', 'duplicate']);
    // A replay under new event ids: the first to lock the agreement records it, the others find it (or lose on its
    // unique post request id and are retried); the agreement changes once.
    await Promise.allSettled(
      copies(3, () => feed(conventions.orm, 'conventions', postRequestDecided, request.postRequestId, request)).map((f) => f()),
    );
    expect((await agreement(id)).postsCount).toBe(2);
    expect(await conventions.orm.em.fork().count(Amendment, { postRequestId: request.postRequestId })).toBe(1);
  });

  test('a transfer delivered three times at once moves its post once', async () => {
    const from = await runningAgreement(2);
    const to = await runningAgreement(1);
    const em = conventions.orm.em.fork();
    const [source, target] = await Promise.all([
      em.findOneOrFail(Convention, Number(from.id)),
      em.findOneOrFail(Convention, Number(to.id)),
    ]);
    const transfer = {
      transferId: uniqueId(),
      fromStructureId: source.structureId,
      toStructureId: target.structureId,
      posts: 1,
      on: '2022-06-01',
    };
    const event = envelope(postsTransferred, transfer.transferId, transfer);
    await Promise.all(copies(3, () => feedEnvelope(conventions.orm, 'conventions', event)).map((f) => f()));
    expect(await agreement(from.id)).toMatchObject({ postsCount: 1 });
    expect(await agreement(to.id)).toMatchObject({ postsCount: 2 });
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
