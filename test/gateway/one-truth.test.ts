import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createConseiller, createStructure } from '../support/factories/recruitment.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';
import { failsWith, succeeds } from '../support/graphql.js';
import { uniqueId } from '../support/ids.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { checkConsistency } from '../../scripts/check-consistency.js';

/**
 * The journeys of issue 14, end to end through the gateway with the in-process relay: each fact is entered once, in
 * recruitment, and conventions, training and activity follow; what contradicted it is refused. On a database of its
 * own, since the relay applies every event it finds.
 */

let database: TestDatabase;
let system: TestSystem;
let admin: Record<string, string>;
beforeAll(async () => {
  database = await createTestDatabase('conum_one_truth', { migrated: true });
  system = await startTestSystem({ databaseUrl: database.url, events: { pollMs: 20, backoffMs: 20 } });
  admin = await system.bearer({ sub: 'one-truth', role: 'admin' });
});
afterAll(async () => {
  await system?.stop();
  await database?.drop();
});

const run = (query: string, variables: Record<string, unknown> = {}, headers = admin) => system.query(query, variables, headers);

const DECIDE = `mutation ($id: ID!, $posts: Int) { recordCoselecDecision(input: { structureId: $id, opinion: POSITIF, postsGranted: $posts }) { structure { id status } } }`;
const OPEN = `mutation ($input: OpenConventionInput!) { openConvention(input: $input) { convention { id sector postsCount amountCents } } }`;
const MOVE = `mutation ($id: ID!, $state: DsState!) { moveDsFile(input: { conventionId: $id, state: $state, at: "2025-12-20T09:00:00Z" }) { convention { id } } }`;
const SIGN = `mutation ($id: ID!) { signConvention(input: { conventionId: $id, signedOn: "2026-01-01" }) { convention { id status } } }`;
const AGREEMENT = `query ($id: ID!) { convention(id: $id) { postsCount amountCents posts { state conseiller { id } } tranches { rank status } } }`;
const PRESELECT = `mutation ($s: ID!, $c: ID!) { preselectCandidate(input: { structureId: $s, conseillerId: $c }) { miseEnRelation { id } } }`;
const RECRUIT = `mutation ($id: ID!) { recruitCandidate(input: { miseEnRelationId: $id, contract: { type: CDD, startDate: "2026-01-05", endDate: "2027-01-04", grossMonthlySalaryCents: 190000 } }) { miseEnRelation { status } } }`;
const VALIDATE = `mutation ($id: ID!) { validateRecruitment(input: { miseEnRelationId: $id }) { miseEnRelation { status } } }`;
const DECLARE = `mutation ($id: ID!) { declareRupture(input: { miseEnRelationId: $id, date: "2026-06-30", reason: DEMISSION }) { miseEnRelation { status } } }`;
const RUPTURE = `mutation ($id: ID!) { validateRupture(input: { miseEnRelationId: $id }) { miseEnRelation { status } } }`;
const OPEN_PATH = `mutation ($id: ID!) { openTrainingPath(input: { conseillerId: $id, hours: 70, plannedStartDate: "2026-02-01" }) { trainingPath { id } } }`;
const FILE = `mutation ($id: ID!, $date: Date!) { fileCra(input: { conseillerId: $id, date: $date, activityType: INDIVIDUEL, channel: RATTACHEMENT, participants: 1,
  ages: { under12: 0, from12To18: 0, from18To35: 1, from35To60: 0, over60: 0 }, statuses: { etudiant: 0, sansEmploi: 0, enEmploi: 1, retraite: 0, heterogene: 0 },
  themes: [INTERNET], duration: "30-60", communeCode: "13055", postalCode: "13001" }) { cra { id structure { id } } } }`;

/** A structure of recruitment's that the committee validates now (the decision is announced), with `posts` posts. */
async function validatedStructure(posts: number) {
  const structure = await createStructure(system.orms.recruitment, { status: 'EXAMEN_COMPLEMENTAIRE_COSELEC', postQuota: 0 });
  await succeeds(run(DECIDE, { id: structure.id, posts }));
  return structure.id;
}

function openInput(structureId: number, extra: Record<string, unknown> = {}) {
  return {
    structureId,
    phase: 'PHASE_1',
    legalCategory: 'STRUCTURE_PUBLIQUE',
    dsNumber: uniqueId(),
    dsCreatedAt: '2025-11-01T09:00:00Z',
    startDate: '2026-01-01',
    advisorPosts: 1,
    attributionDate: '2025-12-01',
    ...extra,
  };
}

test('agreements only for structures recruitment validated, located where they are, for no more posts than granted', async () => {
  // Recruitment knows an abandoned private structure (quota 0), and one still under examination.
  const abandoned = await createStructure(system.orms.recruitment, {
    status: 'EXAMEN_COMPLEMENTAIRE_COSELEC',
    type: 'PRIVATE',
    postQuota: 0,
  });
  await succeeds(
    run(`mutation ($id: ID!) { recordCoselecDecision(input: { structureId: $id, opinion: NEGATIF }) { structure { status } } }`, {
      id: abandoned.id,
    }),
  );
  const examined = await createStructure(system.orms.recruitment, { status: 'CREEE', postQuota: 0 });
  await succeeds(
    run(
      `mutation ($id: ID!) { recordCoselecDecision(input: { structureId: $id, opinion: EXAMEN_COMPLEMENTAIRE }) { structure { status } } }`,
      {
        id: examined.id,
      },
    ),
  );
  const granted = await validatedStructure(2);
  await eventually(async () =>
    expect((await run(OPEN, { input: openInput(granted, { advisorPosts: 3 }) })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT'),
  );
  // The input no longer says where the structure is nor its sector: the old fields are refused by the schema.
  expect(
    (await run(OPEN, { input: { ...openInput(abandoned.id), sector: 'PUBLIC', departementCode: '75' } })).errors?.[0]?.extensions?.code,
  ).toBe('BAD_USER_INPUT');
  expect(
    await failsWith(
      'INVALID_STATUS_TRANSITION',
      run(OPEN, { input: openInput(abandoned.id, { legalCategory: 'ASSOCIATION', advisorPosts: 0 }) }),
    ),
  ).toMatchObject({
    entity: 'Structure',
  });
  expect(await failsWith('INVALID_STATUS_TRANSITION', run(OPEN, { input: openInput(examined.id) }))).toMatchObject({ entity: 'Structure' });
  expect(await failsWith('NOT_FOUND', run(OPEN, { input: openInput(99_999_999) }))).toMatchObject({ entity: 'Structure' });
  const opened = (await succeeds(run(OPEN, { input: openInput(granted, { advisorPosts: 2 }) }))).openConvention.convention;
  expect(opened).toMatchObject({ sector: 'PUBLIC', postsCount: 2 });
});

test('recruited and validated in recruitment: conventions receives the contract and the tranche comes due; the rupture frees the post; training and activity follow', async () => {
  const structureId = await validatedStructure(1);
  const candidate = await createConseiller(system.orms.recruitment, {});
  // A mere candidate gets no training path.
  expect(await failsWith('BAD_USER_INPUT', run(OPEN_PATH, { id: candidate.id }))).toMatchObject({ field: 'conseillerId' });

  const opened = await eventually(async () => (await succeeds(run(OPEN, { input: openInput(structureId) }))).openConvention.convention);
  for (const state of ['en_instruction', 'accepte']) await succeeds(run(MOVE, { id: opened.id, state }));
  await succeeds(run(SIGN, { id: opened.id }));
  const before = (await succeeds(run(AGREEMENT, { id: opened.id }))).convention;
  expect(before.posts).toEqual([{ state: 'VACANT', conseiller: null }]);
  expect(before.tranches[0].status).toBe('BLOCKED');

  const match = (await succeeds(run(PRESELECT, { s: structureId, c: candidate.id }))).preselectCandidate.miseEnRelation.id;
  await succeeds(run(RECRUIT, { id: match }));
  // Being recruited is enough for training; the report before validation is not.
  await eventually(async () =>
    expect((await succeeds(run(OPEN_PATH, { id: candidate.id }))).openTrainingPath.trainingPath.id).toBeTruthy(),
  );
  await succeeds(run(VALIDATE, { id: match }));
  await eventually(async () => {
    const after = (await succeeds(run(AGREEMENT, { id: opened.id }))).convention;
    expect(after.posts).toEqual([{ state: 'OCCUPE', conseiller: { id: String(candidate.id) } }]);
    expect(after.tranches[0].status).toBe('DUE');
  });
  // Activity derives the employer; a day before the contract starts is refused.
  expect(await failsWith('BAD_USER_INPUT', run(FILE, { id: candidate.id, date: '2026-01-04' }))).toMatchObject({ field: 'input.date' });
  expect((await succeeds(run(FILE, { id: candidate.id, date: '2026-01-05' }))).fileCra.cra.structure).toEqual({ id: String(structureId) });

  await succeeds(run(DECLARE, { id: match }));
  await succeeds(run(RUPTURE, { id: match }));
  await eventually(async () =>
    expect((await succeeds(run(AGREEMENT, { id: opened.id }))).convention.posts).toEqual([{ state: 'VACANT', conseiller: null }]),
  );
  expect(await failsWith('BAD_USER_INPUT', run(FILE, { id: candidate.id, date: '2026-07-01' }))).toMatchObject({ field: 'input.date' });
  expect((await succeeds(run(FILE, { id: candidate.id, date: '2026-06-30' }))).fileCra.cra.structure).toEqual({ id: String(structureId) });
});

test('a post request decided once in recruitment changes the agreement by the published amount, and every pair stays consistent', async () => {
  const structureId = await validatedStructure(1);
  const opened = await eventually(async () => (await succeeds(run(OPEN, { input: openInput(structureId) }))).openConvention.convention);
  for (const state of ['en_instruction', 'accepte']) await succeeds(run(MOVE, { id: opened.id, state }));
  await succeeds(run(SIGN, { id: opened.id }));
  const request = (
    await succeeds(
      run(`mutation ($id: ID!) { requestPosts(input: { structureId: $id, posts: 1, reason: FORTE_DEMANDE }) { postRequest { id } } }`, {
        id: structureId,
      }),
    )
  ).requestPosts.postRequest.id;
  await succeeds(
    run(
      `mutation ($id: ID!) { givePostRequestOpinion(input: { postRequestId: $id, opinion: POSITIF, comment: "Besoin confirmé sur le territoire" }) { postRequest { id } } }`,
      {
        id: request,
      },
    ),
  );
  await succeeds(
    run(`mutation ($id: ID!) { decidePostRequest(input: { postRequestId: $id, accept: true }) { postRequest { status } } }`, {
      id: request,
    }),
  );
  await eventually(async () => {
    const after = (await succeeds(run(AGREEMENT, { id: opened.id }))).convention;
    expect(after.postsCount).toBe(2);
    // A post added for the months left of a 24-month public agreement: the published 50,000 € prorated.
    expect(after.amountCents).toBeGreaterThan(opened.amountCents);
    expect(after.amountCents).toBeLessThan(2 * opened.amountCents);
  });
  const report = await checkConsistency(system.orms);
  expect(report.pairs.flatMap((p) => p.mismatches)).toEqual([]);
});
