import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { contractEnded } from '../../common/events/catalogue.js';
import { Convention } from '../../subgraphs/conventions/entities/index.js';
import { outcomeOf } from '../support/concurrency.js';
import { feed } from '../support/events.js';
import { employInConventions, feedStructure } from '../support/factories/conventions.js';
import { uniqueId } from '../support/ids.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { CONVENTION, MOVE, OPEN, openInput, PAY, SIGN } from './support.js';
import { type Data, failsWith, succeeds, errorCodes } from '../support/graphql.js';
import { user } from '../support/viewers.js';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await openTestSubgraph('conventions');
});
afterAll(async () => {
  await subgraph?.close();
});

/** The structure an agreement was opened for. */
async function structureOf(conventionId: string): Promise<number> {
  return (await subgraph.orm.em.fork().findOneOrFail(Convention, Number(conventionId))).structureId;
}

/** Opens, instructs and accepts a file; returns the agreement id. */
async function acceptedConvention(overrides: Record<string, unknown> = {}): Promise<string> {
  const {
    openConvention: { convention: opened },
  } = await succeeds(subgraph.execute(OPEN, { input: await openInput(subgraph.orm, overrides) }));
  await succeeds(subgraph.execute(MOVE, { id: opened.id, state: 'en_instruction', at: '2021-11-01T09:00:00Z' }));
  await succeeds(subgraph.execute(MOVE, { id: opened.id, state: 'accepte', at: '2021-12-01T09:00:00Z' }));
  return opened.id;
}

describe('opening an agreement', () => {
  test('creates the DS file en_construction and the granted posts, vacant, with their funding', async () => {
    const {
      openConvention: { convention: c },
    } = await succeeds(
      subgraph.execute(OPEN, {
        input: await openInput(subgraph.orm, {
          departementCode: '971',
          regionCode: '01',
          advisorPosts: 2,
          coordinatorPosts: ['CDI'],
          dsCreatedAt: '2021-10-01T08:00:00Z',
        }),
      }),
    );
    expect(c).toMatchObject({
      phase: 'PHASE_1',
      status: 'CONVENTIONNEMENT_EN_COURS',
      postsCount: 3,
      amountCents: 2 * 70_000_00 + 40_000_00,
      durationMonths: 24,
      startDate: '2022-01-01',
      endDate: '2023-12-31',
      signedOn: null,
      tranches: [],
      dsFile: {
        procedure: 'CONVENTIONNEMENT_STRUCTURE_PUBLIQUE',
        state: 'en_construction',
        createdAt: '2021-10-01T08:00:00.000Z',
        instructionStartedAt: null,
        processedAt: null,
      },
    });
    expect(c.posts.map((p: Data) => [p.typology, p.state, p.fundingCents, p.fundingMonths])).toEqual([
      ['CONSEILLER', 'VACANT', 70_000_00, 24],
      ['CONSEILLER', 'VACANT', 70_000_00, 24],
      ['COORDINATEUR', 'VACANT', 40_000_00, 24],
    ]);
  });

  test('picks the DS procedure from the legal category; coordinator-only agreements use the coordinator procedure', async () => {
    const association = await succeeds(
      subgraph.execute(OPEN, {
        input: await openInput(subgraph.orm, { sector: 'PRIVATE', legalCategory: 'ASSOCIATION', durationMonths: 24 }),
      }),
    );
    expect(association.openConvention.convention).toMatchObject({
      dsFile: { procedure: 'CONVENTIONNEMENT_ASSOCIATION' },
      amountCents: 2 * 40_000_00,
      durationMonths: 24,
    });
    const coordinator = await succeeds(
      subgraph.execute(OPEN, {
        input: await openInput(subgraph.orm, {
          sector: 'PRIVATE',
          legalCategory: 'ENTREPRISE',
          advisorPosts: 0,
          coordinatorPosts: ['CDD'],
        }),
      }),
    );
    // A CDD coordinator post is funded 32,000 € over 18 months; the private default agreement lasts 18 months.
    expect(coordinator.openConvention.convention).toMatchObject({
      dsFile: { procedure: 'RECRUTEMENT_COORDINATEUR' },
      amountCents: 32_000_00,
      durationMonths: 18,
    });
  });

  test('accepts a collectivité d’outre-mer, whose région code has 3 digits (Saint-Martin, 978)', async () => {
    const {
      openConvention: { convention: opened },
    } = await succeeds(
      subgraph.execute(OPEN, { input: await openInput(subgraph.orm, { departementCode: '978', regionCode: '978', advisorPosts: 1 }) }),
    );
    expect(opened).toMatchObject({ postsCount: 1, amountCents: 50_000_00 });
  });

  test('refuses bad input with the offending field', async () => {
    expect(
      await failsWith('BAD_USER_INPUT', subgraph.execute(OPEN, { input: await openInput(subgraph.orm, { durationMonths: 18 }) })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.durationMonths',
    });
    expect(
      await failsWith('BAD_USER_INPUT', subgraph.execute(OPEN, { input: await openInput(subgraph.orm, { advisorPosts: 0 }) })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.advisorPosts',
    });
    expect(
      await failsWith(
        'BAD_USER_INPUT',
        subgraph.execute(OPEN, { input: await openInput(subgraph.orm, { structureId: 'x1', structure: false }) }),
      ),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.structureId',
    });
  });

  test('two concurrent openings for one structure: exactly one agreement is created', async () => {
    const input = await openInput(subgraph.orm);
    const results = await Promise.all([input, { ...input, dsNumber: uniqueId() }].map((i) => subgraph.execute(OPEN, { input: i })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.find((r) => r.errors)?.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.structureId' });
  });

  test('a DS number is used once, and a structure has one agreement per phase at a time', async () => {
    const input = await openInput(subgraph.orm);
    await succeeds(subgraph.execute(OPEN, { input }));
    const other = await openInput(subgraph.orm);
    expect(await failsWith('CONFLICT', subgraph.execute(OPEN, { input: { ...input, structureId: other.structureId } }))).toMatchObject({
      code: 'CONFLICT',
      field: 'input.dsNumber',
    });
    expect(await failsWith('CONFLICT', subgraph.execute(OPEN, { input: { ...input, dsNumber: uniqueId() } }))).toMatchObject({
      code: 'CONFLICT',
      field: 'input.structureId',
    });
  });
});

describe('the structure is recruitment’s', () => {
  const OPENED = `mutation ($input: OpenConventionInput!) { openConvention(input: $input) { convention { sector legalCategory departementCode regionCode network priorityArea postsCount } } }`;

  test('sector, territory, network and priority area come from the copy of the structure, not from the input', async () => {
    const input = await openInput(subgraph.orm, {
      sector: 'PRIVATE',
      legalCategory: 'ENTREPRISE',
      departementCode: '69',
      regionCode: '84',
      network: 'GROUPE_SOS',
      structure: { isZrr: true },
    });
    expect(await succeeds(subgraph.execute(OPENED, { input }))).toEqual({
      openConvention: {
        convention: {
          sector: 'PRIVATE',
          legalCategory: 'ENTREPRISE',
          departementCode: '69',
          regionCode: '84',
          network: 'GROUPE_SOS',
          priorityArea: true,
          postsCount: 2,
        },
      },
    });
    // The input no longer says where the structure is.
    const named = { ...(await openInput(subgraph.orm)), sector: 'PUBLIC', departementCode: '75' };
    expect(errorCodes(await subgraph.execute(OPENED, { input: named }))).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
  });

  test('structure 151 (private, Aubagne, quota 0, ABANDON) opening as a public structure of Paris with 10 posts is refused', async () => {
    const structureId = uniqueId();
    await feedStructure(subgraph.orm, structureId, {
      sector: 'PRIVATE',
      departementCode: '13',
      regionCode: '93',
      communeCode: '13005',
      status: 'ABANDON',
      advisorPosts: 0,
    });
    const own = user('structure', { structureIds: [structureId] });
    const input = { ...(await openInput(subgraph.orm, { structure: false, advisorPosts: 10 })), structureId: String(structureId) };
    // What the request said of the structure is not an input any more; what is left is refused on the copy.
    const named = await subgraph.execute(OPEN, { input: { ...input, sector: 'PUBLIC', departementCode: '75' } }, own);
    expect(errorCodes(named)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    const refused = await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(OPEN, { input }, own));
    expect(refused).toMatchObject({ entity: 'Structure', from: 'ABANDON' });
    expect(refused.message).toContain('ABANDON');
    // Its legal category must agree with its sector, and its quota (0) bounds the posts, once validated.
    await feedStructure(subgraph.orm, structureId, { sector: 'PRIVATE', communeCode: '13005', advisorPosts: 0 });
    expect(await failsWith('BAD_USER_INPUT', subgraph.execute(OPEN, { input }, own))).toMatchObject({ field: 'input.legalCategory' });
    expect(
      await failsWith('BAD_USER_INPUT', subgraph.execute(OPEN, { input: { ...input, legalCategory: 'ASSOCIATION' } }, own)),
    ).toMatchObject({ field: 'input.advisorPosts' });
    expect(await subgraph.orm.em.fork().count(Convention, { structureId })).toBe(0);
  });

  test('a structure still in EXAMEN_COMPLEMENTAIRE_COSELEC gets no agreement; nor does 99999, unknown to recruitment', async () => {
    const pending = await openInput(subgraph.orm, { structure: { status: 'EXAMEN_COMPLEMENTAIRE_COSELEC' } });
    expect(await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(OPEN, { input: pending }))).toMatchObject({
      entity: 'Structure',
      from: 'EXAMEN_COMPLEMENTAIRE_COSELEC',
    });
    const unknown = { ...(await openInput(subgraph.orm, { structure: false })), structureId: '99999' };
    expect(await failsWith('NOT_FOUND', subgraph.execute(OPEN, { input: unknown }))).toMatchObject({
      code: 'NOT_FOUND',
      entity: 'Structure',
    });
  });

  test('never more posts than granted: advisor and coordinator posts are bounded by the quota', async () => {
    const advisors = await openInput(subgraph.orm, { advisorPosts: 3, structure: { advisorPosts: 2 } });
    const tooMany = await failsWith('BAD_USER_INPUT', subgraph.execute(OPEN, { input: advisors }));
    expect(tooMany).toMatchObject({ field: 'input.advisorPosts' });
    expect(tooMany.message).toContain('granted 2 advisor posts');
    const coordinators = await openInput(subgraph.orm, { advisorPosts: 1, coordinatorPosts: ['CDI'], structure: { coordinatorPosts: 0 } });
    expect(await failsWith('BAD_USER_INPUT', subgraph.execute(OPEN, { input: coordinators }))).toMatchObject({
      field: 'input.coordinatorPosts',
    });
    await succeeds(subgraph.execute(OPEN, { input: { ...advisors, advisorPosts: 2 } }));
  });

  test('a restricted viewer is checked on where recruitment says the structure is', async () => {
    const input = await openInput(subgraph.orm, { departementCode: '13', regionCode: '93' });
    const own = user('structure', { structureIds: [Number(input.structureId)] });
    const elsewhere = user('structure', { structureIds: [uniqueId()] });
    await failsWith('FORBIDDEN', subgraph.execute(OPEN, { input }, elsewhere));
    await succeeds(subgraph.execute(OPEN, { input }, own));
  });
});

describe('DS file and status transitions', () => {
  test('en_construction → en_instruction → accepte, stamping the dates; no skipping, no way back', async () => {
    const {
      openConvention: { convention: opened },
    } = await succeeds(subgraph.execute(OPEN, { input: await openInput(subgraph.orm) }));
    expect(await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(MOVE, { id: opened.id, state: 'accepte' }))).toMatchObject({
      code: 'INVALID_STATUS_TRANSITION',
      from: 'en_construction',
      to: 'accepte',
    });
    const instructed = await succeeds(subgraph.execute(MOVE, { id: opened.id, state: 'en_instruction', at: '2021-12-01T09:00:00Z' }));
    expect(instructed.moveDsFile.convention.dsFile).toEqual({
      state: 'en_instruction',
      instructionStartedAt: '2021-12-01T09:00:00.000Z',
      processedAt: null,
    });
    expect(
      await failsWith('BAD_USER_INPUT', subgraph.execute(MOVE, { id: opened.id, state: 'accepte', at: '2021-11-01T09:00:00Z' })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.at',
    });
    const accepted = await succeeds(subgraph.execute(MOVE, { id: opened.id, state: 'accepte', at: '2021-12-15T09:00:00Z' }));
    expect(accepted.moveDsFile.convention).toMatchObject({
      status: 'CONVENTIONNEMENT_EN_COURS',
      dsFile: { state: 'accepte', processedAt: '2021-12-15T09:00:00.000Z' },
    });
    expect(await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(MOVE, { id: opened.id, state: 'en_instruction' }))).toMatchObject({
      code: 'INVALID_STATUS_TRANSITION',
      from: 'accepte',
    });
  });

  test('a refused or closed file cannot be signed, and the structure may then open a new one', async () => {
    for (const final of ['refuse', 'sans_suite']) {
      const input = await openInput(subgraph.orm);
      const {
        openConvention: { convention: opened },
      } = await succeeds(subgraph.execute(OPEN, { input }));
      await succeeds(subgraph.execute(MOVE, { id: opened.id, state: 'en_instruction' }));
      await succeeds(subgraph.execute(MOVE, { id: opened.id, state: final }));
      const error = await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(SIGN, { id: opened.id, signedOn: '2022-01-01' }));
      expect(error).toMatchObject({ code: 'INVALID_STATUS_TRANSITION' });
      expect(error.message).toContain(`its DS file is ${final}`);
      await succeeds(subgraph.execute(OPEN, { input: { ...input, dsNumber: uniqueId() } }));
    }
  });

  test('signing: phase 1 → CONVENTIONNEMENT_VALIDE with its period and schedule; a direct phase-2 entry → CONVENTIONNEMENT_VALIDE_PHASE_2', async () => {
    const id = await acceptedConvention();
    expect(await failsWith('BAD_USER_INPUT', subgraph.execute(SIGN, { id, signedOn: '2021-11-30' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.signedOn',
    });
    const {
      signConvention: { convention: signed },
    } = await succeeds(subgraph.execute(SIGN, { id, signedOn: '2022-02-10', startDate: '2022-02-01' }));
    expect(signed).toMatchObject({
      status: 'CONVENTIONNEMENT_VALIDE',
      signedOn: '2022-02-10',
      startDate: '2022-02-01',
      endDate: '2024-01-31',
    });
    expect(signed.tranches.map((t: Data) => [t.rank, t.periodStart, t.periodEnd, t.dueDate, t.amountCents])).toEqual([
      [1, '2022-02-01', '2023-01-31', '2022-02-10', 50_000_00],
      [2, '2023-02-01', '2024-01-31', '2023-02-01', 50_000_00],
    ]);
    expect(signed.posts.every((p: Data) => p.fundingStart === '2022-02-01')).toBe(true);
    expect(await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(SIGN, { id, signedOn: '2022-03-01' }))).toMatchObject({
      code: 'INVALID_STATUS_TRANSITION',
      from: 'CONVENTIONNEMENT_VALIDE',
    });

    const phase2 = await acceptedConvention({
      phase: 'PHASE_2',
      sector: 'PRIVATE',
      legalCategory: 'ASSOCIATION',
      priorityArea: true,
      advisorPosts: 1,
      startDate: '2024-01-01',
    });
    const {
      signConvention: { convention: direct },
    } = await succeeds(subgraph.execute(SIGN, { id: phase2, signedOn: '2024-01-05' }));
    expect(direct).toMatchObject({
      phase: 'PHASE_2',
      status: 'CONVENTIONNEMENT_VALIDE_PHASE_2',
      durationMonths: 36,
      amountCents: 50_000_00,
    });
    expect(direct.tranches.map((t: Data) => t.amountCents)).toEqual([17_500_00, 15_000_00, 17_500_00]);
  });
});

describe('payments', () => {
  test('a tranche is blocked until a contract covering its year is received, then due, then paid with its date', async () => {
    const id = await acceptedConvention({ advisorPosts: 1, sector: 'PRIVATE', legalCategory: 'ASSOCIATION' });
    const {
      signConvention: { convention: signed },
    } = await succeeds(subgraph.execute(SIGN, { id, signedOn: '2022-01-01' }));
    const [t1, t2] = signed.tranches;
    expect([t1.amountCents, t2.amountCents]).toEqual([21_333_33, 10_666_67]);
    expect(t1).toMatchObject({
      status: 'BLOCKED',
      blockedReason: `No employment contract received covering 2022-01-01 – 2022-12-31 for post ${signed.posts[0].id}.`,
    });
    expect(await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(PAY, { id: t1.id, paidOn: '2022-02-01' }))).toMatchObject({
      code: 'INVALID_STATUS_TRANSITION',
      from: 'BLOCKED',
      to: 'PAID',
    });

    // Recruitment validates a CDD: conventions receives it on the post.
    const structureId = await structureOf(id);
    const first = await employInConventions(subgraph.orm, { structureId, type: 'CDD', startDate: '2022-03-01', endDate: '2022-12-31' });
    const { convention: occupied } = await succeeds(subgraph.execute(CONVENTION, { id }));
    expect(occupied.posts[0]).toMatchObject({
      id: signed.posts[0].id,
      state: 'OCCUPE',
      conseiller: { id: String(first.state.conseillerId) },
    });

    expect(await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(PAY, { id: t2.id, paidOn: '2023-01-10' }))).toMatchObject({
      code: 'INVALID_STATUS_TRANSITION',
      message: 'Tranche 1 must be paid before tranche 2.',
    });
    const paid = await succeeds(subgraph.execute(PAY, { id: t1.id, paidOn: '2022-03-15' }));
    expect(paid.markTranchePaid.tranche).toEqual({ id: t1.id, status: 'PAID', paidOn: '2022-03-15', amountCents: 21_333_33 });
    expect(await failsWith('CONFLICT', subgraph.execute(PAY, { id: t1.id, paidOn: '2022-03-16' }))).toMatchObject({ code: 'CONFLICT' });

    // Tranche 2 pays for 2023: the CDD ended in 2022, so it stays blocked until a new contract arrives.
    const { convention } = await succeeds(subgraph.execute(CONVENTION, { id }));
    expect(convention.tranches[1]).toMatchObject({ status: 'BLOCKED' });
    expect(await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(PAY, { id: t2.id, paidOn: '2023-01-05' }))).toMatchObject({
      code: 'INVALID_STATUS_TRANSITION',
      from: 'BLOCKED',
    });
    // The CDD reaches its end; the advisor is hired again for 2023.
    await feed(subgraph.orm, 'conventions', contractEnded, first.state.miseEnRelationId, { ...first.state, status: 'TERMINEE_NATURELLE' });
    await employInConventions(subgraph.orm, {
      structureId,
      conseillerId: first.state.conseillerId,
      type: 'CDD',
      startDate: '2023-01-01',
      endDate: '2023-06-30',
    });
    await succeeds(subgraph.execute(PAY, { id: t2.id, paidOn: '2023-01-05' }));
    const { convention: after } = await succeeds(subgraph.execute(CONVENTION, { id }));
    expect(after).toMatchObject({ amountCents: 32_000_00, paidCents: 32_000_00, remainingOwedCents: 0 });
    expect(after.posts[0].paidCents).toBe(32_000_00);
  });

  test('a tranche is planned before its due date', async () => {
    const id = await acceptedConvention({ advisorPosts: 1, startDate: '2099-01-01' });
    const {
      signConvention: { convention: signed },
    } = await succeeds(subgraph.execute(SIGN, { id, signedOn: '2098-12-01' }));
    expect(signed.tranches.map((t: Data) => t.status)).toEqual(['PLANNED', 'PLANNED']);
    expect(
      await failsWith('INVALID_STATUS_TRANSITION', subgraph.execute(PAY, { id: signed.tranches[0].id, paidOn: '2098-12-15' })),
    ).toMatchObject({
      code: 'INVALID_STATUS_TRANSITION',
      from: 'PLANNED',
    });
  });

  test('two contracts of one structure received at once take one post each', async () => {
    const id = await acceptedConvention({ advisorPosts: 2 });
    await succeeds(subgraph.execute(SIGN, { id, signedOn: '2022-01-01' }));
    const structureId = await structureOf(id);
    await Promise.all([1, 2].map(() => employInConventions(subgraph.orm, { structureId, type: 'CDI', startDate: '2022-02-01' })));
    const { convention } = await succeeds(subgraph.execute(CONVENTION, { id }));
    expect(convention.posts.map((p: Data) => p.state)).toEqual(['OCCUPE', 'OCCUPE']);
    expect(new Set(convention.posts.map((p: Data) => p.conseiller.id)).size).toBe(2);
  });

  test('two payments of the same tranche at once: the agreement row is locked, exactly one succeeds', async () => {
    const id = await acceptedConvention({ advisorPosts: 1 });
    const {
      signConvention: { convention: signed },
    } = await succeeds(subgraph.execute(SIGN, { id, signedOn: '2022-01-01' }));
    await employInConventions(subgraph.orm, { structureId: await structureOf(id), type: 'CDI', startDate: '2022-01-01' });
    const tranche = signed.tranches[0].id;
    const results = await Promise.all([1, 2].map(() => subgraph.execute(PAY, { id: tranche, paidOn: '2022-02-01' })));
    expect(results.map(outcomeOf).sort()).toEqual(['CONFLICT', 'OK']);
    const { convention } = await succeeds(subgraph.execute(CONVENTION, { id }));
    expect(convention).toMatchObject({ paidCents: 25_000_00, posts: [{ paidCents: 25_000_00 }] });
  });

  test('unknown or malformed ids: NOT_FOUND, or BAD_USER_INPUT naming the argument', async () => {
    expect(await failsWith('NOT_FOUND', subgraph.execute(SIGN, { id: '2147000000', signedOn: '2022-01-01' }))).toMatchObject({
      code: 'NOT_FOUND',
      entity: 'Convention',
    });
    expect(await failsWith('NOT_FOUND', subgraph.execute(PAY, { id: '2147000000', paidOn: '2022-01-01' }))).toMatchObject({
      code: 'NOT_FOUND',
      entity: 'Tranche',
    });
    expect(await failsWith('BAD_USER_INPUT', subgraph.execute(MOVE, { id: 'abc', state: 'en_instruction' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.conventionId',
    });
    expect((await succeeds(subgraph.execute(CONVENTION, { id: '2147000000' }))).convention).toBeNull();
  });
});
