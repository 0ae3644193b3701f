import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { today } from '../../common/calendar.js';
import {
  CONTRACT_EVENTS,
  contractEnded,
  contractExtended,
  contractRenewed,
  contractSigned,
  EVENTS,
  postRequestDecided,
  postsTransferred,
  recruitmentCancelled,
  recruitmentRequested,
  renewalRequested,
  ruptureCancelled,
  ruptureDeclared,
  ruptureValidated,
  STRUCTURE_EVENTS,
  structureApplied,
  structureClosed,
  structureDecided,
} from '../../common/events/catalogue.js';
import type { EventDefinition } from '../../common/events/event.js';
import { OutboxEvent } from '../../common/events/outbox.js';
import { withLuhnDigit } from '../../common/luhn.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import { MiseEnRelation, Structure } from '../../subgraphs/recruitment/entities/index.js';
import { setCandidateAvailability } from '../../subgraphs/recruitment/services/conseiller.service.js';
import { contractStateOf, structureStateOf } from '../../subgraphs/recruitment/services/events.js';
import {
  cancelRecruitment,
  cancelRupture,
  declareRupture,
  endContract,
  preselectCandidate,
  recruitCandidate,
  renewContract,
  requestContractExtension,
  validateContractExtension,
  validateRecruitment,
  validateRenewal,
  validateRupture,
} from '../../subgraphs/recruitment/services/mise-en-relation.service.js';
import {
  decideCoordinatorRequest,
  decidePostRequest,
  giveBackPosts,
  givePostRequestOpinion,
  requestCoordinatorPost,
  requestPosts,
  transferPosts,
} from '../../subgraphs/recruitment/services/posts.service.js';
import {
  applyStructure,
  closeStructureApplication,
  givePrefectOpinion,
  recordCoselecDecision,
} from '../../subgraphs/recruitment/services/structure.service.js';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { cdd, contractOf } from './helpers.js';

/**
 * Recruitment publishes every fact the other subgraphs follow from the write step that changes it, in the step's
 * transaction (README, Domain events): each step below leaves exactly its events in the outbox, carrying the state
 * the row has once the step committed, and a refused step leaves none.
 */

let recruitment: TestSubgraph;
beforeAll(async () => {
  recruitment = await openTestSubgraph('recruitment');
});
afterAll(async () => {
  await recruitment?.close();
});

const em = () => recruitment.orm.em.fork();
const admin = SYSTEM_ADMIN;

/**
 * The events of `family` the outbox holds for one aggregate, in outbox order, each payload read back through its
 * event's schema (what a consumer parses). Structures, contracts, post requests and transfers number their ids
 * apart, so an aggregate id is only unique with its family.
 */
async function published(family: readonly EventDefinition[], aggregateId: number) {
  const rows = await em().find(
    OutboxEvent,
    { aggregateId: String(aggregateId), type: { $in: family.map((e) => e.type) } },
    { orderBy: { seq: 'asc' } },
  );
  return rows.map((row) => {
    const event = EVENTS.find((e) => e.type === row.type)!;
    expect(row.version).toBe(event.version);
    return { type: row.type, payload: event.payload.parse(row.payload) as Record<string, unknown>, seq: row.seq };
  });
}
const structureEvents = (id: number) => published(STRUCTURE_EVENTS, id);
const contractEvents = (id: number) => published(CONTRACT_EVENTS, id);
const typesOf = (events: { type: string }[]) => events.map((e) => e.type);

/** The state a copy must hold: the row as recruitment has it now. */
const structureNow = async (id: number) => {
  const fork = em();
  return structureStateOf(fork, await fork.findOneOrFail(Structure, id));
};
const contractNow = async (id: number) => contractStateOf(await em().findOneOrFail(MiseEnRelation, id));

/** The step fails with `code`. */
async function refused(code: string, attempt: Promise<unknown>): Promise<void> {
  await expect(attempt).rejects.toMatchObject({ extensions: { code } });
}

const nextYear = `${new Date().getUTCFullYear() + 1}-01-04`;

describe('structure events', () => {
  test('an application is announced applied, with the state of the new structure', async () => {
    const structure = await applyStructure(em(), admin, {
      name: 'Mairie de Lannion',
      siret: withLuhnDigit('2122011310001'),
      type: 'COMMUNE',
      network: 'CROIX_ROUGE',
      communeCode: '22113',
      postalCode: '22300',
      isZrr: true,
      qpvStatus: 'OUI',
      contact: { firstName: 'Anne', lastName: 'Le Goff', role: 'DGS', email: 'anne.legoff@lannion.fr', phone: '0296466422' },
      missionStartDate: nextYear,
      requestedAdvisors: 2,
      confirmCommitment: true,
    });
    const events = await structureEvents(structure.id);
    expect(events).toEqual([
      {
        type: structureApplied.type,
        seq: expect.any(Number),
        payload: {
          structureId: structure.id,
          name: 'Mairie de Lannion',
          type: 'COMMUNE',
          sector: 'PUBLIC',
          status: 'CREEE',
          network: 'CROIX_ROUGE',
          departementCode: '22',
          regionCode: '53',
          communeCode: '22113',
          advisorPosts: 0,
          coordinatorPosts: 0,
          phase: 'PHASE_1',
          isZrr: true,
          isQpv: true,
        },
      },
    ]);
    expect(events[0]!.payload).toEqual(await structureNow(structure.id));
  });

  test('each committee decision is announced decided (status, quota, phase); a refused one, or an opinion, announces nothing', async () => {
    const structure = await createStructure(recruitment.orm, { status: 'CREEE', postQuota: 0 });
    await givePrefectOpinion(em(), admin, { structureId: structure.id, opinion: 'POSITIF', comment: 'Favorable, besoin avéré.' });
    expect(await structureEvents(structure.id)).toEqual([]);

    await recordCoselecDecision(em(), admin, { structureId: structure.id, opinion: 'EXAMEN_COMPLEMENTAIRE' });
    await recordCoselecDecision(em(), admin, { structureId: structure.id, opinion: 'POSITIF', postsGranted: 3, phase: 'PHASE_2' });
    const events = await structureEvents(structure.id);
    expect(events.map((e) => [e.type, e.payload.status, e.payload.advisorPosts, e.payload.phase])).toEqual([
      [structureDecided.type, 'EXAMEN_COMPLEMENTAIRE_COSELEC', 0, 'PHASE_1'],
      [structureDecided.type, 'VALIDATION_COSELEC', 3, 'PHASE_2'],
    ]);
    expect(events.at(-1)!.payload).toEqual(await structureNow(structure.id));

    // A quota below the posts held is refused: no event.
    const advisor = await createConseiller(recruitment.orm, { structureId: structure.id });
    await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: advisor.id,
      status: 'FINALISEE',
      ...contractOf(cdd()),
    });
    await refused('QUOTA_EXCEEDED', recordCoselecDecision(em(), admin, { structureId: structure.id, opinion: 'POSITIF', postsGranted: 0 }));
    const refusedStructure = await createStructure(recruitment.orm, { status: 'REFUS_COSELEC', postQuota: 0 });
    await refused(
      'INVALID_STATUS_TRANSITION',
      recordCoselecDecision(em(), admin, { structureId: refusedStructure.id, opinion: 'POSITIF', postsGranted: 1 }),
    );
    expect(await structureEvents(structure.id)).toHaveLength(2);
    expect(await structureEvents(refusedStructure.id)).toEqual([]);
  });

  test('closing an application is announced closed; closing one that holds posts is refused and announces nothing', async () => {
    const structure = await createStructure(recruitment.orm, { status: 'CREEE', postQuota: 0 });
    await closeStructureApplication(em(), admin, { structureId: structure.id, status: 'DOUBLON' });
    const events = await structureEvents(structure.id);
    expect(events.map((e) => [e.type, e.payload.status])).toEqual([[structureClosed.type, 'DOUBLON']]);
    expect(events[0]!.payload).toEqual(await structureNow(structure.id));

    const holding = await createStructure(recruitment.orm, { postQuota: 2 });
    await refused('CONFLICT', closeStructureApplication(em(), admin, { structureId: holding.id, status: 'ABANDON' }));
    expect(await structureEvents(holding.id)).toEqual([]);
  });
});

describe('post request and transfer events', () => {
  test('an accepted request: its decision with the prefecture opinion, then the structure with its new quota', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 1 });
    const request = await requestPosts(em(), admin, { structureId: structure.id, posts: 2, reason: 'FORTE_DEMANDE' });
    await givePostRequestOpinion(em(), admin, { postRequestId: request.id, opinion: 'POSITIF', comment: 'Favorable, forte demande.' });
    // Asking and giving an opinion change no fact the others keep.
    expect(await structureEvents(structure.id)).toEqual([]);
    expect(await published([postRequestDecided], request.id)).toEqual([]);

    await decidePostRequest(em(), admin, { postRequestId: request.id, accept: true, postsGranted: 1 });
    const [decision] = await published([postRequestDecided], request.id);
    expect(decision!.payload).toEqual({
      postRequestId: request.id,
      structureId: structure.id,
      type: 'AJOUT',
      coordinator: false,
      accepted: true,
      postsBefore: 1,
      postsRequested: 2,
      postsGranted: 1,
      reason: 'FORTE_DEMANDE',
      reasonDetail: null,
      prefectOpinion: 'POSITIF',
      requestedOn: today(),
      decidedOn: today(),
      phase: 'PHASE_1',
    });
    const events = await structureEvents(structure.id);
    expect(events.map((e) => [e.type, e.payload.status, e.payload.advisorPosts])).toEqual([
      [structureDecided.type, 'VALIDATION_COSELEC', 2],
    ]);
    expect(events[0]!.seq).toBeGreaterThan(decision!.seq);
    expect(events[0]!.payload).toEqual(await structureNow(structure.id));
  });

  test('a refused request is announced with its reason and no posts; the structure, unchanged, is not', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 1 });
    const request = await requestPosts(em(), admin, {
      structureId: structure.id,
      posts: 3,
      reason: 'AUTRE',
      otherReason: 'Ouverture d’un tiers-lieu',
    });
    await decidePostRequest(em(), admin, { postRequestId: request.id, accept: false });
    expect((await published([postRequestDecided], request.id)).map((e) => e.payload)).toEqual([
      expect.objectContaining({
        accepted: false,
        postsGranted: null,
        reason: 'AUTRE',
        reasonDetail: 'Ouverture d’un tiers-lieu',
        prefectOpinion: null,
        decidedOn: today(),
      }),
    ]);
    expect(await structureEvents(structure.id)).toEqual([]);
    // Decided once: a second decision is refused and announces nothing more.
    await refused('CONFLICT', decidePostRequest(em(), admin, { postRequestId: request.id, accept: true }));
    expect(await published([postRequestDecided], request.id)).toHaveLength(1);
  });

  test('handing back the last posts: RETRAIT accepted, the structure announced ABANDON with no posts', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 1 });
    const request = await giveBackPosts(em(), admin, { structureId: structure.id, posts: 1, reason: 'FIN_DE_SUBVENTIONNEMENT' });
    await decidePostRequest(em(), admin, { postRequestId: request.id, accept: true });
    expect((await published([postRequestDecided], request.id)).map((e) => e.payload)).toEqual([
      expect.objectContaining({ type: 'RETRAIT', accepted: true, postsBefore: 1, postsRequested: 1, postsGranted: null }),
    ]);
    const events = await structureEvents(structure.id);
    expect(events.map((e) => [e.type, e.payload.status, e.payload.advisorPosts])).toEqual([[structureDecided.type, 'ABANDON', 0]]);
    expect(events[0]!.payload).toEqual(await structureNow(structure.id));
  });

  test('a transfer: the transfer, then both structures with their new quotas; one beyond the vacant posts announces nothing', async () => {
    const from = await createStructure(recruitment.orm, { postQuota: 3 });
    const to = await createStructure(recruitment.orm, { status: 'CREEE', postQuota: 0 });
    await refused('QUOTA_EXCEEDED', transferPosts(em(), admin, { fromStructureId: from.id, toStructureId: to.id, posts: 4 }));
    expect([...(await structureEvents(from.id)), ...(await structureEvents(to.id))]).toEqual([]);

    const transfer = await transferPosts(em(), admin, { fromStructureId: from.id, toStructureId: to.id, posts: 2 });
    const [moved] = await published([postsTransferred], transfer.id);
    expect(moved!.payload).toEqual({ transferId: transfer.id, fromStructureId: from.id, toStructureId: to.id, posts: 2, on: today() });
    const [fromEvent, ...fromRest] = await structureEvents(from.id);
    const [toEvent, ...toRest] = await structureEvents(to.id);
    expect([fromRest, toRest]).toEqual([[], []]);
    expect([fromEvent!.type, fromEvent!.payload.status, fromEvent!.payload.advisorPosts]).toEqual([
      structureDecided.type,
      'VALIDATION_COSELEC',
      1,
    ]);
    expect([toEvent!.type, toEvent!.payload.status, toEvent!.payload.advisorPosts]).toEqual([
      structureDecided.type,
      'VALIDATION_COSELEC',
      2,
    ]);
    expect(fromEvent!.seq).toBeGreaterThan(moved!.seq);
    expect(fromEvent!.payload).toEqual(await structureNow(from.id));
    expect(toEvent!.payload).toEqual(await structureNow(to.id));
  });

  test('coordinator posts: granted and handed back are announced; a refusal that changes nothing is not', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 2 });
    const first = await requestCoordinatorPost(em(), admin, { structureId: structure.id });
    await decideCoordinatorRequest(em(), admin, { coordinatorRequestId: first.id, accept: false });
    expect(await structureEvents(structure.id)).toEqual([]);

    const second = await requestCoordinatorPost(em(), admin, { structureId: structure.id });
    await decideCoordinatorRequest(em(), admin, { coordinatorRequestId: second.id, accept: true });
    const giveBack = await giveBackPosts(em(), admin, {
      structureId: structure.id,
      posts: 1,
      reason: 'BESOIN_NON_JUSTIFIE',
      isCoordinatorPost: true,
    });
    await decidePostRequest(em(), admin, { postRequestId: giveBack.id, accept: true });
    const events = await structureEvents(structure.id);
    expect(events.map((e) => [e.type, e.payload.advisorPosts, e.payload.coordinatorPosts])).toEqual([
      [structureDecided.type, 3, 1],
      [structureDecided.type, 2, 0],
    ]);
    expect(events.at(-1)!.payload).toEqual(await structureNow(structure.id));
    expect((await published([postRequestDecided], giveBack.id)).map((e) => e.payload.coordinator)).toEqual([true]);
  });

  test('refusing a coordinator-only application is announced: the structure ends REFUS_COORDINATEUR', async () => {
    const structure = await createStructure(recruitment.orm, {
      status: 'CREEE',
      postQuota: 0,
      isCoordinatorApplication: true,
      coordinatorContractType: 'FT',
    });
    const request = await requestCoordinatorPost(em(), admin, { structureId: structure.id });
    await decideCoordinatorRequest(em(), admin, { coordinatorRequestId: request.id, accept: false });
    const events = await structureEvents(structure.id);
    expect(events.map((e) => [e.type, e.payload.status])).toEqual([[structureDecided.type, 'REFUS_COORDINATEUR']]);
    expect(events[0]!.payload).toEqual(await structureNow(structure.id));
  });
});

describe('contract events', () => {
  /** A validated structure with `posts` posts and a candidate preselected by it. */
  async function preselected(posts = 1) {
    const structure = await createStructure(recruitment.orm, { postQuota: posts });
    const candidate = await createConseiller(recruitment.orm);
    const mer = await preselectCandidate(em(), admin, { structureId: structure.id, conseillerId: candidate.id });
    return { structure, candidate, mer };
  }
  const contract = { ...cdd('2025-01-06', '2026-01-05'), type: 'CDD' as const };

  test('recruit, validate, declare, cancel, declare and validate a rupture: one event each, with the state after it', async () => {
    const { structure, candidate, mer } = await preselected();
    // A match without a contract is nobody else's business: preselecting, and closing the others, announce nothing.
    const elsewhere = await createStructure(recruitment.orm);
    const other = await createMiseEnRelation(recruitment.orm, {
      structureId: elsewhere.id,
      conseillerId: candidate.id,
      status: 'NOUVELLE',
    });
    expect(await contractEvents(mer.id)).toEqual([]);

    await recruitCandidate(em(), admin, { miseEnRelationId: mer.id, contract });
    await validateRecruitment(em(), admin, { miseEnRelationId: mer.id });
    await declareRupture(em(), admin, { miseEnRelationId: mer.id, date: '2025-06-30', reason: 'DEMISSION' });
    await cancelRupture(em(), admin, { miseEnRelationId: mer.id });
    await declareRupture(em(), admin, { miseEnRelationId: mer.id, date: '2025-07-31', reason: 'DEMISSION' });
    await validateRupture(em(), admin, { miseEnRelationId: mer.id });

    const events = await contractEvents(mer.id);
    expect(events.map((e) => [e.type, e.payload.status, e.payload.ruptureDate])).toEqual([
      [recruitmentRequested.type, 'RECRUTEE', null],
      [contractSigned.type, 'FINALISEE', null],
      [ruptureDeclared.type, 'NOUVELLE_RUPTURE', '2025-06-30'],
      [ruptureCancelled.type, 'FINALISEE', null],
      [ruptureDeclared.type, 'NOUVELLE_RUPTURE', '2025-07-31'],
      [ruptureValidated.type, 'FINALISEE_RUPTURE', '2025-07-31'],
    ]);
    for (const event of events)
      expect(event.payload).toMatchObject({
        miseEnRelationId: mer.id,
        conseillerId: candidate.id,
        structureId: structure.id,
        phase: 'PHASE_1',
        coordinator: false,
        contract: { type: 'CDD', startDate: '2025-01-06', endDate: '2026-01-05', grossMonthlySalaryCents: 190_000 },
        renewalOfId: null,
      });
    expect(events.at(-1)!.payload).toEqual(await contractNow(mer.id));
    expect(await contractEvents(other.id)).toEqual([]);
    expect((await em().findOneOrFail(MiseEnRelation, other.id)).status).toBe('FINALISEE_NON_DISPONIBLE');
  });

  test('a cancelled recruitment is announced with no contract', async () => {
    const { mer } = await preselected();
    await recruitCandidate(em(), admin, { miseEnRelationId: mer.id, contract, isCoordinatorContract: false });
    await cancelRecruitment(em(), admin, { miseEnRelationId: mer.id });
    const events = await contractEvents(mer.id);
    expect(events.map((e) => [e.type, e.payload.status, e.payload.contract])).toEqual([
      [recruitmentRequested.type, 'RECRUTEE', expect.objectContaining({ startDate: '2025-01-06' })],
      [recruitmentCancelled.type, 'INTERESSEE', null],
    ]);
    expect(events.at(-1)!.payload).toEqual(await contractNow(mer.id));
  });

  test('refused steps announce nothing: beyond the quota, a bad transition, a rupture before the start', async () => {
    const { structure, mer } = await preselected(1);
    const holder = await createConseiller(recruitment.orm, { structureId: structure.id });
    await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: holder.id,
      status: 'FINALISEE',
      ...contractOf(contract),
    });
    await refused('QUOTA_EXCEEDED', recruitCandidate(em(), admin, { miseEnRelationId: mer.id, contract }));
    await refused('INVALID_STATUS_TRANSITION', validateRecruitment(em(), admin, { miseEnRelationId: mer.id }));
    await refused('INVALID_STATUS_TRANSITION', endContract(em(), admin, { miseEnRelationId: mer.id }));
    expect(await contractEvents(mer.id)).toEqual([]);

    const { mer: signed } = await preselected(1);
    await recruitCandidate(em(), admin, { miseEnRelationId: signed.id, contract });
    await validateRecruitment(em(), admin, { miseEnRelationId: signed.id });
    await refused('BAD_USER_INPUT', declareRupture(em(), admin, { miseEnRelationId: signed.id, date: '2024-12-31', reason: 'DEMISSION' }));
    await refused('INVALID_STATUS_TRANSITION', validateRupture(em(), admin, { miseEnRelationId: signed.id }));
    expect(typesOf(await contractEvents(signed.id))).toEqual([recruitmentRequested.type, contractSigned.type]);
  });

  test('an extension is announced once validated, with its new end date and salary', async () => {
    const structure = await createStructure(recruitment.orm);
    const advisor = await createConseiller(recruitment.orm, { structureId: structure.id });
    const mer = await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: advisor.id,
      status: 'FINALISEE',
      ...contractOf(cdd('2026-01-06', '2027-01-05')),
    });
    await requestContractExtension(em(), admin, {
      miseEnRelationId: mer.id,
      requestedEndDate: '2027-12-31',
      requestedSalaryCents: 210_000,
    });
    expect(await contractEvents(mer.id)).toEqual([]);
    await validateContractExtension(em(), admin, { miseEnRelationId: mer.id });
    const events = await contractEvents(mer.id);
    expect(events.map((e) => [e.type, e.payload.status, e.payload.contract])).toEqual([
      [
        contractExtended.type,
        'FINALISEE',
        { type: 'CDD', startDate: '2026-01-06', endDate: '2027-12-31', grossMonthlySalaryCents: 210_000 },
      ],
    ]);
    expect(events[0]!.payload).toEqual(await contractNow(mer.id));
  });

  test('a renewal: requested on the new mise en relation; validated, the old one ends before the new one is announced renewed', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 1 });
    const advisor = await createConseiller(recruitment.orm, { structureId: structure.id });
    const old = await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: advisor.id,
      status: 'FINALISEE',
      ...contractOf(cdd('2022-01-03', '2023-12-31')),
    });
    const renewal = await renewContract(em(), admin, {
      miseEnRelationId: old.id,
      contract: { type: 'CDI', startDate: '2024-01-01', grossMonthlySalaryCents: 200_000 },
    });
    expect(await contractEvents(renewal.id)).toEqual([
      {
        type: renewalRequested.type,
        seq: expect.any(Number),
        payload: {
          miseEnRelationId: renewal.id,
          conseillerId: advisor.id,
          structureId: structure.id,
          status: 'RENOUVELLEMENT_INITIEE',
          phase: 'PHASE_2',
          coordinator: false,
          contract: { type: 'CDI', startDate: '2024-01-01', endDate: null, grossMonthlySalaryCents: 200_000 },
          ruptureDate: null,
          renewalOfId: old.id,
        },
      },
    ]);
    // Asking is not renewing: the contract in progress is unchanged.
    expect(await contractEvents(old.id)).toEqual([]);

    await validateRenewal(em(), admin, { miseEnRelationId: renewal.id });
    const [ended] = await contractEvents(old.id);
    const [, renewed] = await contractEvents(renewal.id);
    expect([ended!.type, ended!.payload.status]).toEqual([contractEnded.type, 'TERMINEE']);
    expect([renewed!.type, renewed!.payload.status, renewed!.payload.renewalOfId]).toEqual([contractRenewed.type, 'FINALISEE', old.id]);
    expect(renewed!.seq).toBeGreaterThan(ended!.seq);
    expect(ended!.payload).toEqual(await contractNow(old.id));
    expect(renewed!.payload).toEqual(await contractNow(renewal.id));
  });

  test('a natural end is announced ended; one still running is refused and announces nothing', async () => {
    const structure = await createStructure(recruitment.orm);
    const advisor = await createConseiller(recruitment.orm, { structureId: structure.id });
    const over = await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: advisor.id,
      status: 'FINALISEE',
      ...contractOf(cdd('2024-01-08', '2025-01-07')),
    });
    await endContract(em(), admin, { miseEnRelationId: over.id });
    const events = await contractEvents(over.id);
    expect(events.map((e) => [e.type, e.payload.status])).toEqual([[contractEnded.type, 'TERMINEE_NATURELLE']]);
    expect(events[0]!.payload).toEqual(await contractNow(over.id));

    const other = await createConseiller(recruitment.orm, { structureId: structure.id });
    const running = await createMiseEnRelation(recruitment.orm, {
      structureId: structure.id,
      conseillerId: other.id,
      status: 'FINALISEE',
      ...contractOf(cdd(today(), `${new Date().getUTCFullYear() + 2}-01-01`)),
    });
    await refused('CONFLICT', endContract(em(), admin, { miseEnRelationId: running.id }));
    expect(await contractEvents(running.id)).toEqual([]);
  });

  test('a candidate withdrawing closes matches that hold no contract: nothing is announced', async () => {
    const { candidate, mer } = await preselected();
    await setCandidateAvailability(em(), admin, { conseillerId: candidate.id, isAvailable: false });
    expect((await em().findOneOrFail(MiseEnRelation, mer.id)).status).toBe('NON_DISPONIBLE');
    expect(await contractEvents(mer.id)).toEqual([]);
  });
});
