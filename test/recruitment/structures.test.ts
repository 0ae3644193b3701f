import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { withLuhnDigit } from '../../common/luhn.js';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { succeeds, failsWith } from '../support/graphql.js';

let recruitment: TestSubgraph;
beforeAll(async () => {
  recruitment = await openTestSubgraph('recruitment');
});
afterAll(async () => {
  await recruitment?.close();
});

const nextYear = `${new Date().getUTCFullYear() + 1}-01-04`;
const application = (overrides: Record<string, unknown> = {}) => ({
  name: 'Mairie de Lannion',
  // Lannion's real SIREN (INSEE), establishment 0001, and the Luhn check digit.
  siret: withLuhnDigit('2122011310001'),
  type: 'COMMUNE',
  communeCode: '22113',
  postalCode: '22300',
  isZrr: true,
  contact: { firstName: 'Anne', lastName: 'Le Goff', role: 'DGS', email: 'Anne.LeGoff@lannion.fr', phone: '02 96 46 64 22' },
  missionStartDate: nextYear,
  requestedAdvisors: 2,
  motivation: 'Accompagner les habitants dans leurs démarches en ligne.',
  confirmCommitment: true,
  ...overrides,
});
const APPLY = `mutation ($input: ApplyStructureInput!) { applyStructure(input: $input) { structure {
  id name siret type sector status postQuota communeCode communeName departementCode regionCode postalCode isZrr qpvStatus
  departement { code name region { code name } } location { latitude longitude } contact { email phone role }
  application { requestedAdvisors missionStartDate } } } }`;

describe('applyStructure', () => {
  test('creates a CREEE application with real geography derived from the INSEE commune code', async () => {
    const { structure } = (await succeeds(recruitment.execute(APPLY, { input: application() }))).applyStructure;
    expect(structure).toMatchObject({
      name: 'Mairie de Lannion',
      // Lannion's real SIREN (INSEE), establishment 0001, and the Luhn check digit.
      siret: withLuhnDigit('2122011310001'),
      sector: 'PUBLIC',
      status: 'CREEE',
      postQuota: 0,
      communeName: 'Lannion',
      departementCode: '22',
      regionCode: '53',
      postalCode: '22300',
      isZrr: true,
      qpvStatus: 'NON',
      departement: { code: '22', name: "Côtes-d'Armor", region: { code: '53', name: 'Bretagne' } },
      contact: { email: 'anne.legoff@lannion.fr', phone: '0296466422', role: 'DGS' },
      application: { requestedAdvisors: 2, missionStartDate: nextYear },
    });
    expect(structure.location.latitude).toBeCloseTo(48.73, 1);
    expect(Number(structure.id)).toBeGreaterThan(0);
  });

  test('a La Poste office passes with its own key (sum of digits divisible by 5), which fails Luhn', async () => {
    const office = '35600000049837';
    const { structure } = (
      await succeeds(
        recruitment.execute(APPLY, {
          input: application({ name: 'La Poste Lannion', siret: office, type: 'PRIVATE', network: 'LA_POSTE' }),
        }),
      )
    ).applyStructure;
    expect(structure).toMatchObject({ siret: office, sector: 'PRIVATE' });
    expect(
      await failsWith('BAD_USER_INPUT', recruitment.execute(APPLY, { input: application({ siret: '35600000049838' }) })),
    ).toMatchObject({
      field: 'siret',
    });
  });

  test('a New Caledonian structure applies with a RIDET instead of a SIRET', async () => {
    const { structure } = (
      await succeeds(
        recruitment.execute(APPLY, {
          input: application({ siret: null, ridet: '1234567', type: 'PRIVATE', communeCode: '98818', postalCode: null }),
        }),
      )
    ).applyStructure;
    expect(structure).toMatchObject({ siret: null, sector: 'PRIVATE', communeCode: '98818' });
  });

  test.each([
    [
      'a SIRET failing its Luhn check',
      { siret: `${withLuhnDigit('2122011310001').slice(0, 13)}${(Number(withLuhnDigit('2122011310001').at(-1)) + 1) % 10}` },
      'siret',
    ],
    ['a SIRET of 13 digits', { siret: '2122011340001' }, 'siret'],
    ['neither SIRET nor RIDET', { siret: null }, 'siret'],
    ['an unknown commune', { communeCode: '99999' }, 'communeCode'],
    ['a postal code of another commune', { postalCode: '75001' }, 'postalCode'],
    ['a bad contact e-mail', { contact: { ...application().contact, email: 'anne@' } }, 'contact.email'],
    ['a bad contact phone', { contact: { ...application().contact, phone: '12345' } }, 'contact.phone'],
    ['a mission starting in the past', { missionStartDate: '2020-01-01' }, 'missionStartDate'],
    ['no advisor asked for', { requestedAdvisors: 0 }, 'requestedAdvisors'],
    ['a motivation over 2,500 characters', { motivation: 'x'.repeat(2501) }, 'motivation'],
    ['a coordinator application without working time', { isCoordinatorApplication: true }, 'coordinatorContractType'],
    ['commitments not confirmed', { confirmCommitment: false }, 'confirmCommitment'],
  ])('%s is BAD_USER_INPUT on its field', async (_label, overrides, field) => {
    const name = `Refusée ${field} ${Math.random()}`;
    expect(await failsWith('BAD_USER_INPUT', recruitment.execute(APPLY, { input: application({ ...overrides, name }) }))).toMatchObject({
      field,
    });
    const listed = await succeeds(
      recruitment.execute(`query ($q: String!) { structures(filter: { search: $q }) { totalCount } }`, { q: name }),
    );
    expect(listed.structures.totalCount).toBe(0);
  });
});

const DECIDE = `mutation ($input: RecordCoselecDecisionInput!) { recordCoselecDecision(input: $input) { structure { status postQuota validatedAt coselecDecisions { opinion postsGranted number phase } } } }`;

describe('prefecture opinion and selection committee', () => {
  test('opinion, postponement, then validation: decisions are appended and the latest gives the quota', async () => {
    const structure = await createStructure(recruitment.orm, { status: 'CREEE', postQuota: 0 });
    const opinion = `mutation ($id: ID!, $comment: String!, $from: ID) { givePrefectOpinionOnApplication(input: { structureId: $id, opinion: POSITIF, comment: $comment, transferFromStructureId: $from }) {
      structure { prefectOpinions { opinion comment author transferFrom { id } } } } }`;
    expect(
      await failsWith('BAD_USER_INPUT', recruitment.execute(opinion, { id: structure.id, comment: 'Trop court'.slice(0, 9) })),
    ).toMatchObject({ field: 'comment' });
    expect(
      await failsWith(
        'BAD_USER_INPUT',
        recruitment.execute(opinion, {
          id: structure.id,
          comment: 'Avis favorable, besoin avéré.',
          from: structure.id,
        }),
      ),
    ).toMatchObject({ field: 'transferFromStructureId' });
    const giver = await createStructure(recruitment.orm);
    const given = await succeeds(
      recruitment.execute(opinion, { id: structure.id, comment: 'Avis favorable, besoin avéré.', from: giver.id }),
    );
    expect(given.givePrefectOpinionOnApplication.structure.prefectOpinions).toEqual([
      { opinion: 'POSITIF', comment: 'Avis favorable, besoin avéré.', author: 'admin:system', transferFrom: { id: String(giver.id) } },
    ]);

    const postponed = await succeeds(
      recruitment.execute(DECIDE, {
        input: { structureId: structure.id, opinion: 'EXAMEN_COMPLEMENTAIRE', number: 'COSELEC 12' },
      }),
    );
    expect(postponed.recordCoselecDecision.structure).toMatchObject({
      status: 'EXAMEN_COMPLEMENTAIRE_COSELEC',
      postQuota: 0,
      validatedAt: null,
    });
    const validated = await succeeds(
      recruitment.execute(DECIDE, {
        input: { structureId: structure.id, opinion: 'POSITIF', postsGranted: 3, number: 'COSELEC 13' },
      }),
    );
    expect(validated.recordCoselecDecision.structure).toMatchObject({
      status: 'VALIDATION_COSELEC',
      postQuota: 3,
      coselecDecisions: [
        { opinion: 'EXAMEN_COMPLEMENTAIRE', postsGranted: 0, number: 'COSELEC 12', phase: 'PHASE_1' },
        { opinion: 'POSITIF', postsGranted: 3, number: 'COSELEC 13', phase: 'PHASE_1' },
      ],
    });
    expect(validated.recordCoselecDecision.structure.validatedAt).not.toBeNull();
    // Decided: the prefecture no longer gives an opinion on the application.
    await failsWith('CONFLICT', recruitment.execute(opinion, { id: structure.id, comment: 'Avis favorable, besoin avéré.' }));
    // Quota 0 by an administrator cancels the structure.
    const cancelled = await succeeds(
      recruitment.execute(DECIDE, { input: { structureId: structure.id, opinion: 'POSITIF', postsGranted: 0 } }),
    );
    expect(cancelled.recordCoselecDecision.structure).toMatchObject({ status: 'ANNULEE', postQuota: 0 });
  });

  test('decisions are append-only down to the database: changing or deleting one is refused', async () => {
    const structure = await createStructure(recruitment.orm, { status: 'CREEE', postQuota: 0 });
    await succeeds(
      recruitment.execute(DECIDE, { input: { structureId: structure.id, opinion: 'POSITIF', postsGranted: 2, number: 'COSELEC 20' } }),
    );
    const connection = recruitment.orm.em.fork().getConnection();
    await expect(
      connection.execute(`update recruitment.coselec_decision set posts_granted = 9 where structure_id = ?`, [structure.id]),
    ).rejects.toThrow(/append-only/);
    await expect(connection.execute(`delete from recruitment.coselec_decision where structure_id = ?`, [structure.id])).rejects.toThrow(
      /append-only/,
    );
    const after = await succeeds(
      recruitment.execute(`query ($id: ID!) { structure(id: $id) { postQuota coselecDecisions { postsGranted } } }`, {
        id: structure.id,
      }),
    );
    expect(after.structure).toEqual({ postQuota: 2, coselecDecisions: [{ postsGranted: 2 }] });
  });

  test('a refused structure cannot be validated, nor a duplicate decided', async () => {
    const refused = await createStructure(recruitment.orm, { status: 'CREEE', postQuota: 0 });
    await succeeds(recruitment.execute(DECIDE, { input: { structureId: refused.id, opinion: 'NEGATIF', number: 'COSELEC 5' } }));
    expect(
      await failsWith(
        'INVALID_STATUS_TRANSITION',
        recruitment.execute(DECIDE, {
          input: { structureId: refused.id, opinion: 'POSITIF', postsGranted: 1 },
        }),
      ),
    ).toMatchObject({
      entity: 'Structure',
      from: 'REFUS_COSELEC',
      to: 'VALIDATION_COSELEC',
    });
    const duplicate = await createStructure(recruitment.orm, { status: 'CREEE', postQuota: 0 });
    const close = `mutation ($id: ID!, $status: StructureStatus!) { closeStructureApplication(input: { structureId: $id, status: $status }) { structure { status } } }`;
    expect(await failsWith('BAD_USER_INPUT', recruitment.execute(close, { id: duplicate.id, status: 'ANNULEE' }))).toMatchObject({
      field: 'status',
    });
    expect(
      (await succeeds(recruitment.execute(close, { id: duplicate.id, status: 'DOUBLON' }))).closeStructureApplication.structure.status,
    ).toBe('DOUBLON');
    await failsWith(
      'INVALID_STATUS_TRANSITION',
      recruitment.execute(DECIDE, {
        input: { structureId: duplicate.id, opinion: 'POSITIF', postsGranted: 1 },
      }),
    );
    expect(
      await failsWith('BAD_USER_INPUT', recruitment.execute(DECIDE, { input: { structureId: duplicate.id, opinion: 'POSITIF' } })),
    ).toMatchObject({ field: 'postsGranted' });
  });
});

describe('post requests, give-backs and transfers', () => {
  const REQUEST = `mutation ($input: RequestPostsInput!) { requestPosts(input: $input) { postRequest { id type status postsBefore postsRequested reason reasonLabel otherReason } } }`;
  const GIVE_BACK = `mutation ($input: GiveBackPostsInput!) { giveBackPosts(input: $input) { postRequest { id type status postsRequested reasonLabel } } }`;
  const DECIDE_REQUEST = `mutation ($id: ID!, $accept: Boolean!, $granted: Int) { decidePostRequest(input: { postRequestId: $id, accept: $accept, postsGranted: $granted }) {
    postRequest { status postsGranted decided { by } } structure { status postQuota coselecDecisions { postsGranted } } } }`;

  test('ask for posts with a prefect opinion, then the administrator grants part of them', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 1 });
    expect(
      await failsWith(
        'BAD_USER_INPUT',
        recruitment.execute(REQUEST, {
          input: { structureId: structure.id, posts: 2, reason: 'FIN_DE_SUBVENTIONNEMENT' },
        }),
      ),
    ).toMatchObject({ field: 'reason' });
    expect(
      await failsWith('BAD_USER_INPUT', recruitment.execute(REQUEST, { input: { structureId: structure.id, posts: 2, reason: 'AUTRE' } })),
    ).toMatchObject({ field: 'otherReason' });
    const { postRequest } = (
      await succeeds(recruitment.execute(REQUEST, { input: { structureId: structure.id, posts: 2, reason: 'FORTE_DEMANDE' } }))
    ).requestPosts;
    expect(postRequest).toMatchObject({
      type: 'AJOUT',
      status: 'EN_COURS',
      postsBefore: 1,
      postsRequested: 2,
      reasonLabel: 'Je rencontre une forte demande sur mon territoire',
    });
    await failsWith(
      'CONFLICT',
      recruitment.execute(REQUEST, { input: { structureId: structure.id, posts: 1, reason: 'RENFORCER_EQUIPE' } }),
    );

    const opinion = await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { givePostRequestOpinion(input: { postRequestId: $id, opinion: POSITIF, comment: "Favorable, forte demande locale." }) { postRequest { prefectOpinion prefectComment } } }`,
        { id: postRequest.id },
      ),
    );
    expect(opinion.givePostRequestOpinion.postRequest).toEqual({
      prefectOpinion: 'POSITIF',
      prefectComment: 'Favorable, forte demande locale.',
    });

    expect(
      await failsWith('BAD_USER_INPUT', recruitment.execute(DECIDE_REQUEST, { id: postRequest.id, accept: true, granted: 3 })),
    ).toMatchObject({ field: 'postsGranted' });
    const decided = (await succeeds(recruitment.execute(DECIDE_REQUEST, { id: postRequest.id, accept: true, granted: 1 })))
      .decidePostRequest;
    expect(decided).toEqual({
      postRequest: { status: 'VALIDEE', postsGranted: 1, decided: { by: 'admin:system' } },
      structure: { status: 'VALIDATION_COSELEC', postQuota: 2, coselecDecisions: [{ postsGranted: 2 }] },
    });
    await failsWith('CONFLICT', recruitment.execute(DECIDE_REQUEST, { id: postRequest.id, accept: false }));
  });

  test('hand back only vacant posts; handing back the last one ends the structure (ABANDON)', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 2 });
    const advisor = await createConseiller(recruitment.orm, { structureId: structure.id });
    await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: advisor.id,
      status: 'FINALISEE',
      contractType: 'CDI',
      contractStartDate: '2024-01-01',
      grossMonthlySalaryCents: 200_000,
    });
    expect(
      await failsWith(
        'QUOTA_EXCEEDED',
        recruitment.execute(GIVE_BACK, {
          input: { structureId: structure.id, posts: 2, reason: 'DIFFICULTES_RECRUTEMENT' },
        }),
      ),
    ).toMatchObject({ vacant: 1 });
    const { postRequest } = (
      await succeeds(recruitment.execute(GIVE_BACK, { input: { structureId: structure.id, posts: 1, reason: 'DIFFICULTES_RECRUTEMENT' } }))
    ).giveBackPosts;
    expect(postRequest).toMatchObject({ type: 'RETRAIT', reasonLabel: 'Ma structure rencontre des difficultés de recrutement' });
    const decided = (await succeeds(recruitment.execute(DECIDE_REQUEST, { id: postRequest.id, accept: true }))).decidePostRequest;
    expect(decided.structure).toMatchObject({ status: 'VALIDATION_COSELEC', postQuota: 1 });

    const empty = await createStructure(recruitment.orm, { postQuota: 1 });
    const last = (
      await succeeds(recruitment.execute(GIVE_BACK, { input: { structureId: empty.id, posts: 1, reason: 'FIN_DE_SUBVENTIONNEMENT' } }))
    ).giveBackPosts.postRequest;
    expect((await succeeds(recruitment.execute(DECIDE_REQUEST, { id: last.id, accept: true }))).decidePostRequest.structure).toMatchObject({
      status: 'ABANDON',
      postQuota: 0,
    });
  });

  test('transfer moves vacant posts between structures and records both decisions', async () => {
    const from = await createStructure(recruitment.orm, { postQuota: 3 });
    const to = await createStructure(recruitment.orm, { status: 'CREEE', postQuota: 0 });
    const TRANSFER = `mutation ($from: ID!, $to: ID!, $posts: Int!) { transferPosts(input: { fromStructureId: $from, toStructureId: $to, posts: $posts }) {
      transfer { posts fromStructure { postQuota status } toStructure { postQuota status coselecDecisions { postsGranted observations } } } } }`;
    await failsWith('QUOTA_EXCEEDED', recruitment.execute(TRANSFER, { from: from.id, to: to.id, posts: 4 }));
    expect(await failsWith('BAD_USER_INPUT', recruitment.execute(TRANSFER, { from: from.id, to: from.id, posts: 1 }))).toMatchObject({
      field: 'toStructureId',
    });
    const { transfer } = (await succeeds(recruitment.execute(TRANSFER, { from: from.id, to: to.id, posts: 2 }))).transferPosts;
    expect(transfer).toEqual({
      posts: 2,
      fromStructure: { postQuota: 1, status: 'VALIDATION_COSELEC' },
      toStructure: {
        postQuota: 2,
        status: 'VALIDATION_COSELEC',
        coselecDecisions: [{ postsGranted: 2, observations: `Transfert de 2 poste(s) depuis la structure ${from.id}` }],
      },
    });
  });

  test('the coordinator post is handed back like the others, once vacant', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 2 });
    const requested = await succeeds(
      recruitment.execute(`mutation ($id: ID!) { requestCoordinatorPost(input: { structureId: $id }) { coordinatorRequest { id } } }`, {
        id: structure.id,
      }),
    );
    await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { decideCoordinatorRequest(input: { coordinatorRequestId: $id, accept: true }) { structure { postQuota } } }`,
        { id: requested.requestCoordinatorPost.coordinatorRequest.id },
      ),
    );
    const giveBack = { structureId: structure.id, posts: 1, reason: 'BESOIN_NON_JUSTIFIE', isCoordinatorPost: true };
    const { postRequest } = (await succeeds(recruitment.execute(GIVE_BACK, { input: giveBack }))).giveBackPosts;
    const decided = await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { decidePostRequest(input: { postRequestId: $id, accept: true }) { structure { postQuota coselecDecisions { type postsGranted } coordinatorRequests { isGivenBack } } } }`,
        { id: postRequest.id },
      ),
    );
    expect(decided.decidePostRequest.structure).toEqual({
      postQuota: 2,
      coselecDecisions: [
        { type: 'COORDINATEUR', postsGranted: 3 },
        { type: 'COORDINATEUR_RENDU', postsGranted: 2 },
      ],
      coordinatorRequests: [{ isGivenBack: true }],
    });
    await failsWith('CONFLICT', recruitment.execute(GIVE_BACK, { input: giveBack }));
  });

  test('a coordinator-only application refused ends REFUS_COORDINATEUR', async () => {
    const structure = await createStructure(recruitment.orm, {
      status: 'CREEE',
      postQuota: 0,
      isCoordinatorApplication: true,
      coordinatorContractType: 'FT',
    });
    const { coordinatorRequest } = (
      await succeeds(
        recruitment.execute(`mutation ($id: ID!) { requestCoordinatorPost(input: { structureId: $id }) { coordinatorRequest { id } } }`, {
          id: structure.id,
        }),
      )
    ).requestCoordinatorPost;
    const opinion = await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { giveCoordinatorRequestOpinion(input: { coordinatorRequestId: $id, opinion: NEGATIF, comment: "Pas de besoin de coordination ici." }) { coordinatorRequest { prefectOpinion prefectStamp { by } } } }`,
        { id: coordinatorRequest.id },
      ),
    );
    expect(opinion.giveCoordinatorRequestOpinion.coordinatorRequest).toEqual({
      prefectOpinion: 'NEGATIF',
      prefectStamp: { by: 'admin:system' },
    });
    const refused = await succeeds(
      recruitment.execute(
        `mutation ($id: ID!) { decideCoordinatorRequest(input: { coordinatorRequestId: $id, accept: false }) { coordinatorRequest { status prefectOpinion } structure { status } } }`,
        { id: coordinatorRequest.id },
      ),
    );
    expect(refused.decideCoordinatorRequest).toEqual({
      coordinatorRequest: { status: 'REFUSEE', prefectOpinion: 'NEGATIF' },
      structure: { status: 'REFUS_COORDINATEUR' },
    });
  });
});

describe('candidates', () => {
  const APPLY_CANDIDATE = `mutation ($input: ApplyCandidateInput!) { applyCandidate(input: $input) { conseiller {
    id status isAvailable maxDistanceKm communeName departementCode situation { isJobSeeker hasMedNumDiploma medNumDiplomaName } pix { level eCitizenship }
    personalData { email phone birthDate } } } }`;
  const candidate = (overrides: Record<string, unknown> = {}) => ({
    firstName: 'Yanis',
    lastName: 'Benali',
    email: 'yanis.benali@example.org',
    phone: '06 11 22 33 44',
    birthDate: '1995-02-11',
    communeCode: '69123',
    maxDistanceKm: 20,
    availableFrom: nextYear,
    isJobSeeker: true,
    pix: { level: 2, professionalUse: true, resourceProduction: false, eCitizenship: true },
    ...overrides,
  });

  test('a candidate applies; personal data is kept apart', async () => {
    const { conseiller } = (await succeeds(recruitment.execute(APPLY_CANDIDATE, { input: candidate() }))).applyCandidate;
    expect(conseiller).toMatchObject({
      status: 'CANDIDAT',
      isAvailable: true,
      maxDistanceKm: 20,
      communeName: 'Lyon',
      departementCode: '69',
      situation: { isJobSeeker: true, hasMedNumDiploma: false, medNumDiplomaName: null },
      pix: { level: 2, eCitizenship: true },
      personalData: { email: 'yanis.benali@example.org', phone: '0611223344', birthDate: '1995-02-11' },
    });
  });

  test.each([
    ['a distance off the list', { maxDistanceKm: 30 }, 'maxDistanceKm'],
    ['no situation ticked', { isJobSeeker: false }, 'isJobSeeker'],
    ['a diploma without its name', { hasMedNumDiploma: true }, 'medNumDiplomaName'],
    ['a Pix level of 4', { pix: { level: 4, professionalUse: true, resourceProduction: true, eCitizenship: true } }, 'pix.level'],
    ['a programme mailbox', { email: 'yanis.benali@conseiller-numerique.fr' }, 'email'],
    ['an availability in the past', { availableFrom: '2021-01-01' }, 'availableFrom'],
    ['an implausible birth date', { birthDate: '1890-01-01' }, 'birthDate'],
  ])('%s is BAD_USER_INPUT on its field', async (_label, overrides, field) => {
    expect(await failsWith('BAD_USER_INPUT', recruitment.execute(APPLY_CANDIDATE, { input: candidate(overrides) }))).toMatchObject({
      field,
    });
  });

  test('deleting a candidate (GDPR or duplicate) removes the person, their data and matches; advisors are refused', async () => {
    const candidate = await createConseiller(recruitment.orm);
    const structure = await createStructure(recruitment.orm);
    await createMiseEnRelation(recruitment.orm, { structureId: structure.id, conseillerId: candidate.id, status: 'NOUVELLE' });
    const DELETE = `mutation ($id: ID!, $reason: DeletionReason!) { deleteCandidate(input: { conseillerId: $id, reason: $reason }) { conseillerId reason deletedAt } }`;
    const deleted = (await succeeds(recruitment.execute(DELETE, { id: candidate.id, reason: 'DEMANDE_RGPD' }))).deleteCandidate;
    expect(deleted).toMatchObject({ conseillerId: String(candidate.id), reason: 'DEMANDE_RGPD' });
    const after = await succeeds(
      recruitment.execute(
        `query ($id: ID!, $s: ID!) { conseiller(id: $id) { id } misesEnRelation(filter: { structureId: $s }) { totalCount } }`,
        { id: candidate.id, s: structure.id },
      ),
    );
    expect(after).toEqual({ conseiller: null, misesEnRelation: { totalCount: 0 } });
    const rows = await recruitment.orm.em
      .fork()
      .getConnection()
      .execute(`select count(*)::int as n from recruitment.conseiller_personal_data where conseiller_id = ?`, [candidate.id]);
    expect(rows[0].n).toBe(0);
    await failsWith('NOT_FOUND', recruitment.execute(DELETE, { id: candidate.id, reason: 'DOUBLON' }));

    const advisor = await createConseiller(recruitment.orm, { structureId: structure.id });
    await failsWith('CONFLICT', recruitment.execute(DELETE, { id: advisor.id, reason: 'DOUBLON' }));
    const formerAdvisor = await createConseiller(recruitment.orm, { status: 'CANDIDAT' });
    await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: formerAdvisor.id,
      status: 'RECRUTEE',
      contractType: 'CDI',
      contractStartDate: '2025-01-01',
      grossMonthlySalaryCents: 200_000,
    });
    await failsWith('CONFLICT', recruitment.execute(DELETE, { id: formerAdvisor.id, reason: 'DEMANDE_RGPD' }));
  });

  test('a coordinator coordinates real territories or existing advisors', async () => {
    const structure = await createStructure(recruitment.orm);
    const coordinator = await createConseiller(recruitment.orm, { structureId: structure.id, isCoordinator: true });
    const advisor = await createConseiller(recruitment.orm, { structureId: structure.id });
    const SET = `mutation ($id: ID!, $scope: CoordinationScope!, $items: [String!]!) { setCoordination(input: { conseillerId: $id, scope: $scope, items: $items }) { conseiller { coordination { scope items } } } }`;
    expect(
      await failsWith('BAD_USER_INPUT', recruitment.execute(SET, { id: coordinator.id, scope: 'DEPARTEMENTS', items: ['13', '96'] })),
    ).toMatchObject({ field: 'items' });
    expect(
      await failsWith('BAD_USER_INPUT', recruitment.execute(SET, { id: coordinator.id, scope: 'CONSEILLERS', items: ['2147000001'] })),
    ).toMatchObject({ field: 'items' });
    await failsWith('CONFLICT', recruitment.execute(SET, { id: advisor.id, scope: 'REGIONS', items: ['93'] }));
    const set = await succeeds(recruitment.execute(SET, { id: coordinator.id, scope: 'CONSEILLERS', items: [String(advisor.id)] }));
    expect(set.setCoordination.conseiller.coordination).toEqual({ scope: 'CONSEILLERS', items: [String(advisor.id)] });
  });

  test('preselecting needs a validated structure and an available candidate', async () => {
    const pending = await createStructure(recruitment.orm, { status: 'CREEE', postQuota: 0 });
    const withdrawn = await createConseiller(recruitment.orm, { isAvailable: false });
    const PRESELECT = `mutation ($s: ID!, $c: ID!) { preselectCandidate(input: { structureId: $s, conseillerId: $c }) { miseEnRelation { status origin distanceKm } } }`;
    await failsWith('CONFLICT', recruitment.execute(PRESELECT, { s: pending.id, c: withdrawn.id }));
    const validated = await createStructure(recruitment.orm);
    await failsWith('CONFLICT', recruitment.execute(PRESELECT, { s: validated.id, c: withdrawn.id }));
    await failsWith('NOT_FOUND', recruitment.execute(PRESELECT, { s: validated.id, c: 2147000002 }));
    const available = await createConseiller(recruitment.orm);
    expect(
      (await succeeds(recruitment.execute(PRESELECT, { s: validated.id, c: available.id }))).preselectCandidate.miseEnRelation,
    ).toEqual({
      status: 'INTERESSEE',
      origin: 'MANUEL',
      distanceKm: 0,
    });
  });
});
