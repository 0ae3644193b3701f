import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { MISE_EN_RELATION_STATUSES } from '../../subgraphs/recruitment/entities/vocabulary.js';
import { MISE_EN_RELATION_TRANSITIONS } from '../../subgraphs/recruitment/rules/mise-en-relation.js';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { cdd, contractOf, MER_FIELDS } from './helpers.js';
import { succeeds, failsWith } from '../support/graphql.js';
import { countStatements } from '../support/sql-counter.js';

let recruitment: TestSubgraph;
beforeAll(async () => {
  recruitment = await openTestSubgraph('recruitment');
});
afterAll(async () => {
  await recruitment?.close();
});

const PRESELECT = `mutation ($s: ID!, $c: ID!) { preselectCandidate(input: { structureId: $s, conseillerId: $c }) { miseEnRelation { ${MER_FIELDS} } } }`;
const RECRUIT = `mutation ($id: ID!, $contract: ContractInput!) { recruitCandidate(input: { miseEnRelationId: $id, contract: $contract }) { miseEnRelation { ${MER_FIELDS} } } }`;
const action = (name: string) => `mutation ($id: ID!) { ${name}(input: { miseEnRelationId: $id }) { miseEnRelation { ${MER_FIELDS} } } }`;
const DECLARE_RUPTURE = `mutation ($id: ID!, $date: Date!, $reason: RuptureReason!) { declareRupture(input: { miseEnRelationId: $id, date: $date, reason: $reason }) { miseEnRelation { ${MER_FIELDS} } } }`;

describe('the recruitment path, end to end', () => {
  test('preselect → recruit → validate → declare rupture → validate rupture, with the person following', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 1 });
    const candidate = await createConseiller(recruitment.orm);
    const elsewhere = await createStructure(recruitment.orm);
    const otherMatch = await createMiseEnRelation(recruitment.orm, {
      structureId: elsewhere.id,
      conseillerId: candidate.id,
      status: 'NOUVELLE',
    });

    const preselected = (await succeeds(recruitment.execute(PRESELECT, { s: structure.id, c: candidate.id }))).preselectCandidate
      .miseEnRelation;
    expect(preselected).toMatchObject({
      status: 'INTERESSEE',
      contract: null,
      history: [{ fromStatus: null, toStatus: 'INTERESSEE', actor: 'admin:system' }],
    });

    const recruited = (await succeeds(recruitment.execute(RECRUIT, { id: preselected.id, contract: cdd() }))).recruitCandidate
      .miseEnRelation;
    expect(recruited).toMatchObject({
      status: 'RECRUTEE',
      contract: cdd(),
      structure: { occupiedPosts: 1 },
      conseiller: { status: 'CANDIDAT' },
    });

    const validated = (await succeeds(recruitment.execute(action('validateRecruitment'), { id: preselected.id }))).validateRecruitment
      .miseEnRelation;
    expect(validated).toMatchObject({
      status: 'FINALISEE',
      conseiller: { status: 'RECRUTE', isAvailable: false, structure: { id: String(structure.id) } },
    });
    // Recruited here, so the match with the other structure is closed.
    const other = await succeeds(recruitment.execute(`query ($id: ID!) { miseEnRelation(id: $id) { status } }`, { id: otherMatch.id }));
    expect(other.miseEnRelation.status).toBe('FINALISEE_NON_DISPONIBLE');

    const declared = (await succeeds(recruitment.execute(DECLARE_RUPTURE, { id: preselected.id, date: '2025-06-30', reason: 'DEMISSION' })))
      .declareRupture.miseEnRelation;
    expect(declared).toMatchObject({
      status: 'NOUVELLE_RUPTURE',
      rupture: { date: '2025-06-30', reason: 'DEMISSION', missingDocuments: false, declared: { by: 'admin:system' }, validated: null },
    });

    const flagged = await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { flagRuptureMissingDocuments(input: { miseEnRelationId: $id, missingDocuments: true }) { miseEnRelation { status rupture { missingDocuments } } } }`,
        { id: preselected.id },
      ),
    );
    expect(flagged.flagRuptureMissingDocuments.miseEnRelation).toEqual({ status: 'NOUVELLE_RUPTURE', rupture: { missingDocuments: true } });
    await failsWith('CONFLICT', recruitment.execute(action('validateRupture'), { id: preselected.id }));
    await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { flagRuptureMissingDocuments(input: { miseEnRelationId: $id, missingDocuments: false }) { miseEnRelation { id } } }`,
        { id: preselected.id },
      ),
    );

    const ended = (await succeeds(recruitment.execute(action('validateRupture'), { id: preselected.id }))).validateRupture.miseEnRelation;
    expect(ended).toMatchObject({
      status: 'FINALISEE_RUPTURE',
      rupture: { validated: { by: 'admin:system' } },
      structure: { occupiedPosts: 0 },
      conseiller: { status: 'RUPTURE', isAvailable: true, structure: null },
    });
    expect(ended.history.map((e: { toStatus: string }) => e.toStatus)).toEqual([
      'INTERESSEE',
      'RECRUTEE',
      'FINALISEE',
      'NOUVELLE_RUPTURE',
      'FINALISEE_RUPTURE',
    ]);

    // Recruited again elsewhere: the new contract must start after the rupture.
    const again = (await succeeds(recruitment.execute(PRESELECT, { s: elsewhere.id, c: candidate.id }))).preselectCandidate.miseEnRelation;
    const early = await failsWith(
      'BAD_USER_INPUT',
      recruitment.execute(RECRUIT, { id: again.id, contract: cdd('2025-06-01', '2026-05-31') }),
    );
    expect(early).toMatchObject({ field: 'contract.startDate' });
    await succeeds(recruitment.execute(RECRUIT, { id: again.id, contract: cdd('2025-07-01', '2026-06-30') }));
  });

  test('cancelling a recruitment clears the contract; cancelling a rupture restores the contract in progress', async () => {
    const structure = await createStructure(recruitment.orm);
    const candidate = await createConseiller(recruitment.orm);
    const mer = await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: candidate.id,
      status: 'INTERESSEE',
    });
    await succeeds(recruitment.execute(RECRUIT, { id: mer.id, contract: cdd() }));
    const cancelled = (await succeeds(recruitment.execute(action('cancelRecruitment'), { id: mer.id }))).cancelRecruitment.miseEnRelation;
    expect(cancelled).toMatchObject({ status: 'INTERESSEE', contract: null, structure: { occupiedPosts: 0 } });

    await succeeds(recruitment.execute(RECRUIT, { id: mer.id, contract: cdd() }));
    await succeeds(recruitment.execute(action('validateRecruitment'), { id: mer.id }));
    await succeeds(recruitment.execute(DECLARE_RUPTURE, { id: mer.id, date: '2025-03-31', reason: 'LICENCIEMENT' }));
    const restored = (await succeeds(recruitment.execute(action('cancelRupture'), { id: mer.id }))).cancelRupture.miseEnRelation;
    expect(restored).toMatchObject({ status: 'FINALISEE', rupture: null, conseiller: { status: 'RECRUTE' } });
  });

  test('renewal: a new mise en relation chains to the old one; validating it closes the old one', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 1 });
    const advisor = await createConseiller(recruitment.orm, { structureId: structure.id });
    const old = await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: advisor.id,
      status: 'FINALISEE',
      ...contractOf(cdd('2022-01-03', '2023-12-31')),
    });

    const renew = `mutation ($id: ID!, $contract: ContractInput!) { renewContract(input: { miseEnRelationId: $id, contract: $contract }) { miseEnRelation { id status phase renewalOf { id status renewedBy { id } } contract { type } } } }`;
    const cdi = { type: 'CDI', startDate: '2024-01-01', grossMonthlySalaryCents: 200_000 };
    const renewal = (await succeeds(recruitment.execute(renew, { id: old.id, contract: cdi }))).renewContract.miseEnRelation;
    expect(renewal).toMatchObject({
      status: 'RENOUVELLEMENT_INITIEE',
      phase: 'PHASE_2',
      contract: { type: 'CDI' },
      renewalOf: { id: String(old.id), status: 'FINALISEE' },
    });
    expect(renewal.renewalOf.renewedBy.id).toBe(renewal.id);
    await failsWith('CONFLICT', recruitment.execute(renew, { id: old.id, contract: cdi }));
    // While the renewal waits, the contract cannot end another way.
    await failsWith('CONFLICT', recruitment.execute(DECLARE_RUPTURE, { id: old.id, date: '2023-06-30', reason: 'DEMISSION' }));

    // The quota of 1 is not exceeded: the renewal replaces the old contract.
    const validated = await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { validateRenewal(input: { miseEnRelationId: $id }) { miseEnRelation { status structure { occupiedPosts } renewalOf { status } } } }`,
        { id: renewal.id },
      ),
    );
    expect(validated.validateRenewal.miseEnRelation).toEqual({
      status: 'FINALISEE',
      structure: { occupiedPosts: 1 },
      renewalOf: { status: 'TERMINEE' },
    });
  });

  test('extension of a fixed-term contract: requested, then validated (end date and salary change)', async () => {
    const structure = await createStructure(recruitment.orm);
    const advisor = await createConseiller(recruitment.orm, { structureId: structure.id });
    const mer = await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: advisor.id,
      status: 'FINALISEE',
      ...contractOf(cdd()),
    });
    const request = `mutation ($id: ID!, $end: Date!) { requestContractExtension(input: { miseEnRelationId: $id, requestedEndDate: $end, requestedSalaryCents: 210000 }) { miseEnRelation { extensions { status currentEndDate requestedEndDate } } } }`;
    expect(await failsWith('BAD_USER_INPUT', recruitment.execute(request, { id: mer.id, end: '2025-12-31' }))).toMatchObject({
      field: 'requestedEndDate',
    });
    const requested = await succeeds(recruitment.execute(request, { id: mer.id, end: '2026-12-31' }));
    expect(requested.requestContractExtension.miseEnRelation.extensions).toEqual([
      { status: 'INITIEE', currentEndDate: '2026-01-05', requestedEndDate: '2026-12-31' },
    ]);
    await failsWith('CONFLICT', recruitment.execute(request, { id: mer.id, end: '2027-06-30' }));
    const pending = `query ($s: ID!, $p: Boolean!) { misesEnRelation(filter: { structureId: $s, hasPendingExtension: $p }) { totalCount } }`;
    expect((await succeeds(recruitment.execute(pending, { s: structure.id, p: true }))).misesEnRelation.totalCount).toBe(1);
    const validated = await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { validateContractExtension(input: { miseEnRelationId: $id }) { miseEnRelation { contract { endDate grossMonthlySalaryCents } extensions { status } } } }`,
        { id: mer.id },
      ),
    );
    expect(validated.validateContractExtension.miseEnRelation).toEqual({
      contract: { endDate: '2026-12-31', grossMonthlySalaryCents: 210_000 },
      extensions: [{ status: 'VALIDEE' }],
    });
    expect((await succeeds(recruitment.execute(pending, { s: structure.id, p: true }))).misesEnRelation.totalCount).toBe(0);
    expect((await succeeds(recruitment.execute(pending, { s: structure.id, p: false }))).misesEnRelation.totalCount).toBe(1);
  });

  test('a contract that reached its end closes as TERMINEE_NATURELLE; one still running cannot', async () => {
    const structure = await createStructure(recruitment.orm);
    const advisor = await createConseiller(recruitment.orm, { structureId: structure.id });
    const running = await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: advisor.id,
      status: 'FINALISEE',
      ...contractOf(cdd('2025-01-01', '2099-12-31')),
    });
    await failsWith('CONFLICT', recruitment.execute(action('endContract'), { id: running.id }));
    const over = await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: advisor.id,
      status: 'FINALISEE',
      ...contractOf(cdd('2022-01-01', '2023-12-31')),
    });
    const ended = (await succeeds(recruitment.execute(action('endContract'), { id: over.id }))).endContract.miseEnRelation;
    expect(ended).toMatchObject({ status: 'TERMINEE_NATURELLE', conseiller: { status: 'TERMINE', structure: null, isAvailable: true } });
  });

  test('a candidate who withdraws has their open matches closed as NON_DISPONIBLE', async () => {
    const candidate = await createConseiller(recruitment.orm);
    const [a, b] = [await createStructure(recruitment.orm), await createStructure(recruitment.orm)];
    const open = await createMiseEnRelation(recruitment.orm, { structureId: a.id, conseillerId: candidate.id, status: 'NOUVELLE' });
    const rejected = await createMiseEnRelation(recruitment.orm, {
      structureId: b.id,
      conseillerId: candidate.id,
      status: 'NON_INTERESSEE',
    });
    const result = await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { setCandidateAvailability(input: { conseillerId: $id, isAvailable: false }) { conseiller { isAvailable } } }`,
        { id: candidate.id },
      ),
    );
    expect(result.setCandidateAvailability.conseiller.isAvailable).toBe(false);
    const statuses = await succeeds(
      recruitment.execute(`query ($a: ID!, $b: ID!) { a: miseEnRelation(id: $a) { status } b: miseEnRelation(id: $b) { status } }`, {
        a: open.id,
        b: rejected.id,
      }),
    );
    expect(statuses).toEqual({ a: { status: 'NON_DISPONIBLE' }, b: { status: 'NON_DISPONIBLE' } });
  });
});

describe('preselection and phases', () => {
  test('preselecting again is harmless; a rejected candidate must be reconsidered first; a recruited one is a conflict', async () => {
    const structure = await createStructure(recruitment.orm);
    const [a, b, c] = [
      await createConseiller(recruitment.orm),
      await createConseiller(recruitment.orm),
      await createConseiller(recruitment.orm),
    ];
    const first = (await succeeds(recruitment.execute(PRESELECT, { s: structure.id, c: a.id }))).preselectCandidate.miseEnRelation;
    const again = (await succeeds(recruitment.execute(PRESELECT, { s: structure.id, c: a.id }))).preselectCandidate.miseEnRelation;
    expect(again).toMatchObject({ id: first.id, status: 'INTERESSEE', history: [{ toStatus: 'INTERESSEE' }] });

    await createMiseEnRelation(recruitment.orm, { structureId: structure.id, conseillerId: b.id, status: 'NON_INTERESSEE' });
    expect(await failsWith('INVALID_STATUS_TRANSITION', recruitment.execute(PRESELECT, { s: structure.id, c: b.id }))).toMatchObject({
      from: 'NON_INTERESSEE',
      to: 'INTERESSEE',
    });

    await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: c.id,
      status: 'FINALISEE',
      ...contractOf(cdd()),
    });
    await failsWith('CONFLICT', recruitment.execute(PRESELECT, { s: structure.id, c: c.id }));
  });

  test('a structure whose latest committee decision is phase 2 stamps phase 2 on the contracts it validates', async () => {
    const structure = await createStructure(recruitment.orm, { status: 'CREEE', postQuota: 0 });
    await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { recordCoselecDecision(input: { structureId: $id, opinion: POSITIF, postsGranted: 1, phase: PHASE_2 }) { structure { id } } }`,
        { id: structure.id },
      ),
    );
    const candidate = await createConseiller(recruitment.orm);
    const mer = await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: candidate.id,
      status: 'INTERESSEE',
    });
    await succeeds(recruitment.execute(RECRUIT, { id: mer.id, contract: cdd() }));
    const validated = await succeeds(
      recruitment.execute(`mutation ($id: ID!) { validateRecruitment(input: { miseEnRelationId: $id }) { miseEnRelation { phase } } }`, {
        id: mer.id,
      }),
    );
    expect(validated.validateRecruitment.miseEnRelation.phase).toBe('PHASE_2');
  });
});

describe('illegal transitions are refused with INVALID_STATUS_TRANSITION and change nothing', () => {
  // Each workflow mutation and the status it moves to; tried from every status the machine does not allow.
  const MOVES = [
    ['rejectCandidate', 'NON_INTERESSEE'],
    ['reconsiderCandidate', 'NOUVELLE'],
    ['validateRecruitment', 'FINALISEE'],
    ['cancelRecruitment', 'INTERESSEE'],
    ['validateRupture', 'FINALISEE_RUPTURE'],
    ['cancelRupture', 'FINALISEE'],
  ] as const;
  const cases = MOVES.flatMap(([mutation, to]) =>
    MISE_EN_RELATION_STATUSES.filter((from) => !MISE_EN_RELATION_TRANSITIONS[from].includes(to)).map(
      (from) => [mutation, from, to] as const,
    ),
  );

  test.each(cases)('%s from %s', async (mutation, from, to) => {
    const structure = await createStructure(recruitment.orm);
    const candidate = await createConseiller(recruitment.orm);
    const mer = await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: candidate.id,
      status: from,
      ...contractOf(cdd()),
    });
    const error = await failsWith('INVALID_STATUS_TRANSITION', recruitment.execute(action(mutation), { id: mer.id }));
    expect(error).toMatchObject({ entity: 'MiseEnRelation', from, to });
    const after = await succeeds(
      recruitment.execute(`query ($id: ID!) { miseEnRelation(id: $id) { status history { toStatus } } }`, { id: mer.id }),
    );
    expect(after.miseEnRelation).toEqual({ status: from, history: [] });
  });

  test('recruiting from anything but INTERESSEE, and declaring a rupture on anything but FINALISEE', async () => {
    const structure = await createStructure(recruitment.orm);
    const candidate = await createConseiller(recruitment.orm);
    for (const from of ['NOUVELLE', 'NON_INTERESSEE', 'FINALISEE_RUPTURE'] as const) {
      const mer = await createMiseEnRelation(recruitment.orm, { structureId: structure.id, conseillerId: candidate.id, status: from });
      expect(await failsWith('INVALID_STATUS_TRANSITION', recruitment.execute(RECRUIT, { id: mer.id, contract: cdd() }))).toMatchObject({
        from,
        to: 'RECRUTEE',
      });
    }
    for (const from of ['INTERESSEE', 'RECRUTEE', 'NOUVELLE_RUPTURE', 'TERMINEE'] as const) {
      const mer = await createMiseEnRelation(recruitment.orm, {
        structureId: structure.id,
        conseillerId: candidate.id,
        status: from,
        ...contractOf(cdd()),
      });
      expect(
        await failsWith(
          'INVALID_STATUS_TRANSITION',
          recruitment.execute(DECLARE_RUPTURE, {
            id: mer.id,
            date: '2025-06-30',
            reason: 'CDISATION',
          }),
        ),
      ).toMatchObject({ from, to: 'NOUVELLE_RUPTURE' });
    }
  });
});

describe('unknown and malformed ids', () => {
  test('an unknown mise en relation is NOT_FOUND; a malformed id is BAD_USER_INPUT naming the input field', async () => {
    expect(await failsWith('NOT_FOUND', recruitment.execute(action('validateRecruitment'), { id: '2147000004' }))).toMatchObject({
      entity: 'MiseEnRelation',
      id: '2147000004',
    });
    expect(await failsWith('BAD_USER_INPUT', recruitment.execute(action('validateRecruitment'), { id: 'mer-12' }))).toMatchObject({
      field: 'input.miseEnRelationId',
    });
    expect(await failsWith('BAD_USER_INPUT', recruitment.execute(PRESELECT, { s: '0', c: '1' }))).toMatchObject({
      field: 'input.structureId',
    });
  });
});

describe('contract validation', () => {
  let merId: number;
  let structureId: number;
  beforeAll(async () => {
    const structure = await createStructure(recruitment.orm);
    structureId = structure.id;
    const candidate = await createConseiller(recruitment.orm);
    merId = (await createMiseEnRelation(recruitment.orm, { structureId: structure.id, conseillerId: candidate.id, status: 'INTERESSEE' }))
      .id;
  });

  test.each([
    [
      'a salary below the SMIC of the start date',
      { ...cdd('2024-03-01', '2025-02-28'), grossMonthlySalaryCents: 176_000 },
      'contract.grossMonthlySalaryCents',
    ],
    ['a CDD without end date', { type: 'CDD', startDate: '2025-01-06', grossMonthlySalaryCents: 190_000 }, 'contract.endDate'],
    ['a CDI with an end date', { ...cdd(), type: 'CDI' }, 'contract.endDate'],
    ['an end before the start', cdd('2025-01-06', '2024-12-31'), 'contract.endDate'],
  ])('%s is BAD_USER_INPUT naming the field', async (_label, contract, field) => {
    expect(await failsWith('BAD_USER_INPUT', recruitment.execute(RECRUIT, { id: merId, contract }))).toMatchObject({ field });
    const after = await succeeds(
      recruitment.execute(`query ($id: ID!) { miseEnRelation(id: $id) { status contract { type } } }`, { id: merId }),
    );
    expect(after.miseEnRelation).toEqual({ status: 'INTERESSEE', contract: null });
  });

  test.each([
    [
      'a contract below the SMIC',
      () => RECRUIT,
      () => ({ id: merId, contract: { ...cdd('2024-03-01', '2025-02-28'), grossMonthlySalaryCents: 176_000 } }),
      'contract.grossMonthlySalaryCents',
    ],
    [
      'a request for no post',
      () => `mutation ($s: ID!) { requestPosts(input: { structureId: $s, posts: 0, reason: RENFORCER_EQUIPE }) { postRequest { id } } }`,
      () => ({ s: structureId }),
      'posts',
    ],
  ])('%s is refused on its input without sending any SQL statement', async (_label, document, variables, field) => {
    const { result, total, statements } = await countStatements(recruitment.orm, () => recruitment.execute(document(), variables()));
    expect(await failsWith('BAD_USER_INPUT', result)).toMatchObject({ field });
    // Refused before the transaction opens: not even a BEGIN/ROLLBACK pair.
    expect(total).toBe(0);
    expect(statements).toEqual([]);
  });

  test('the SMIC in force on the start date is the floor (1,766.92 € in 2024, 1,801.80 € from November 2024)', async () => {
    const err = await failsWith(
      'BAD_USER_INPUT',
      recruitment.execute(RECRUIT, {
        id: merId,
        contract: { ...cdd('2024-12-01', '2025-11-30'), grossMonthlySalaryCents: 176_692 },
      }),
    );
    expect(err).toMatchObject({ smicCents: 180_180 });
    await succeeds(
      recruitment.execute(RECRUIT, { id: merId, contract: { ...cdd('2024-10-01', '2025-09-30'), grossMonthlySalaryCents: 176_692 } }),
    );
  });

  test('rupture reasons are the five real ones', async () => {
    await failsWith(
      'BAD_USER_INPUT',
      recruitment.execute(DECLARE_RUPTURE, { id: merId, date: '2025-01-31', reason: 'FIN_DE_CONVENTIONNEMENT' }),
    );
  });
});
