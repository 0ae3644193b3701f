import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createLearner, createLot, createSession } from '../support/factories/training.js';
import { uniqueId } from '../support/ids.js';
import { expectNoErrors, openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

let training: TestSubgraph;
beforeAll(async () => {
  training = await openTestSubgraph('training');
});
afterAll(async () => {
  await training.close();
});

const OPEN = /* GraphQL */ `
  mutation ($input: OpenTrainingPathInput!) {
    openTrainingPath(input: $input) {
      id
      status
      hours
      contract
      positioningLevel
      startDate
      endDate
      rhythm
      modality
      session {
        id
      }
    }
  }
`;
const ENROL = `mutation ($f: ID!, $s: ID!) { enrolInSession(formationId: $f, sessionId: $s) { id status modality rhythm startDate endDate session { id } } }`;
const CONFIRM = `mutation ($id: ID!) { confirmTrainingSession(id: $id) { status plannedModality modality switchedToRemote enrolledCount remainingSeats learners { id modality } } }`;
const WITHDRAW = `mutation ($f: ID!) { withdrawFromSession(formationId: $f) { id status modality session { id } } }`;

async function openPath(hours = 175, plannedStartDate = '2025-03-03', conseillerId = uniqueId()) {
  const response = await training.execute<{ openTrainingPath: { id: string; status: string } }>(OPEN, {
    input: {
      conseillerId: String(conseillerId),
      structureId: String(uniqueId()),
      departementCode: '13',
      regionCode: '93',
      hours,
      plannedStartDate,
    },
  });
  expectNoErrors(response);
  return response.data!.openTrainingPath;
}

async function enrolled(sessionId: number, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = await openPath();
    expectNoErrors(await training.execute(ENROL, { f: path.id, s: String(sessionId) }));
    ids.push(path.id);
  }
  return ids;
}

describe('opening a path from the positioning test', () => {
  test('a 2024 path opens TO_ENROL with its contract, level and planned dates', async () => {
    const response = await training.execute(OPEN, {
      input: {
        conseillerId: String(uniqueId()),
        structureId: '12',
        departementCode: '2A',
        regionCode: '94',
        hours: 315,
        plannedStartDate: '2024-09-02',
      },
    });
    expectNoErrors(response);
    expect(response.data).toMatchObject({
      openTrainingPath: {
        status: 'TO_ENROL',
        hours: 315,
        contract: 'CONTRACT_2024',
        positioningLevel: 'DEBUTANT',
        startDate: '2024-09-02',
        endDate: '2024-11-03',
        rhythm: null,
        modality: null,
        session: null,
      },
    });
  });

  test('overseas collectivities count as their own région (Saint-Martin 978)', async () => {
    const response = await training.execute(OPEN, {
      input: {
        conseillerId: String(uniqueId()),
        structureId: '12',
        departementCode: '978',
        regionCode: '978',
        hours: 70,
        plannedStartDate: '2025-09-01',
      },
    });
    expectNoErrors(response);
  });

  test('a length the contract does not offer, a wrong région or a second path are refused', async () => {
    const input = {
      conseillerId: String(uniqueId()),
      structureId: '12',
      departementCode: '13',
      regionCode: '93',
      hours: 105,
      plannedStartDate: '2024-09-02',
    };
    const wrongHours = await training.execute(OPEN, { input });
    expect(wrongHours.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'hours' });
    const wrongRegion = await training.execute(OPEN, { input: { ...input, hours: 70, regionCode: '84' } });
    expect(wrongRegion.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'regionCode' });
    expect(wrongRegion.errors?.[0]?.message).toMatch(/lies in région 93/);

    const conseillerId = uniqueId();
    await openPath(70, '2024-09-02', conseillerId);
    const second = await training.execute(OPEN, { input: { ...input, conseillerId: String(conseillerId), hours: 70 } });
    expect(second.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'conseillerId' });
  });

  test('two concurrent openings for one advisor: one path, one CONFLICT', async () => {
    // An advisor already known to training (e.g. after an abandoned path): no new learner row to collide on.
    const conseillerId = String(uniqueId());
    await createLearner(training.orm, { conseillerId: Number(conseillerId) });
    const input = { conseillerId, structureId: '12', departementCode: '13', regionCode: '93', hours: 70, plannedStartDate: '2025-09-01' };
    const responses = await Promise.all([training.execute(OPEN, { input }), training.execute(OPEN, { input })]);
    expect(responses.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    const paths = await training.execute(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Conseiller { formations { id } } } }`,
      {
        r: [{ __typename: 'Conseiller', id: conseillerId }],
      },
    );
    expect((paths.data as { _entities: { formations: unknown[] }[] })._entities[0]!.formations).toHaveLength(1);
  });
});

describe('sessions: enrolment and the 8-learner rule', () => {
  test('an in-person session confirmed with 7 learners switches them all to remote', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id });
    const ids = await enrolled(session.id, 7);

    const response = await training.execute<{ confirmTrainingSession: { learners: { id: string; modality: string }[] } }>(CONFIRM, {
      id: String(session.id),
    });
    expectNoErrors(response);
    expect(response.data!.confirmTrainingSession).toMatchObject({
      status: 'CONFIRMED',
      plannedModality: 'IN_PERSON',
      modality: 'REMOTE',
      switchedToRemote: true,
      enrolledCount: 7,
      remainingSeats: 13,
    });
    expect(response.data!.confirmTrainingSession.learners.map((l) => [l.id, l.modality])).toEqual(ids.map((id) => [id, 'REMOTE']));
  });

  test('with 8 learners it runs in person; a withdrawal leaving 7 switches it to remote', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id });
    const ids = await enrolled(session.id, 8);
    const confirmed = await training.execute(CONFIRM, { id: String(session.id) });
    expectNoErrors(confirmed);
    expect(confirmed.data).toMatchObject({ confirmTrainingSession: { modality: 'IN_PERSON', switchedToRemote: false, enrolledCount: 8 } });

    const withdrawn = await training.execute(WITHDRAW, { f: ids[0] });
    expectNoErrors(withdrawn);
    expect(withdrawn.data).toEqual({ withdrawFromSession: { id: ids[0], status: 'TO_ENROL', modality: null, session: null } });

    const after = await training.execute<{ trainingSession: { learners: { modality: string }[] } }>(
      `query ($id: ID!) { trainingSession(id: $id) { modality switchedToRemote enrolledCount learners { modality } } }`,
      { id: String(session.id) },
    );
    expectNoErrors(after);
    expect(after.data!.trainingSession).toMatchObject({ modality: 'REMOTE', switchedToRemote: true, enrolledCount: 7 });
    expect(after.data!.trainingSession.learners.every((l) => l.modality === 'REMOTE')).toBe(true);
  });

  test('enrolment copies the session’s dates and rhythm, refuses a full session and another length', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, {
      lotId: lot.id,
      capacity: 1,
      rhythm: 'CONTINUOUS',
      startDate: '2025-04-07',
      endDate: '2025-05-16',
    });
    const path = await openPath();
    const response = await training.execute(ENROL, { f: path.id, s: String(session.id) });
    expectNoErrors(response);
    expect(response.data).toEqual({
      enrolInSession: {
        id: path.id,
        status: 'ENROLLED',
        modality: 'IN_PERSON',
        rhythm: 'CONTINUOUS',
        startDate: '2025-04-07',
        endDate: '2025-05-16',
        session: { id: String(session.id) },
      },
    });

    const full = await training.execute(ENROL, { f: (await openPath()).id, s: String(session.id) });
    expect(full.errors?.[0]?.extensions).toEqual({ code: 'QUOTA_EXCEEDED', field: 'sessionId' });
    const otherLength = await training.execute(ENROL, { f: (await openPath(315)).id, s: String(session.id) });
    expect(otherLength.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'sessionId' });
    const twice = await training.execute(ENROL, { f: path.id, s: String(session.id) });
    expect(twice.errors?.[0]?.extensions?.code).toBe('INVALID_STATUS_TRANSITION');
  });

  test('concurrent enrolments never overfill a session (the session row is locked)', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id, capacity: 2 });
    const paths = await Promise.all([openPath(), openPath(), openPath(), openPath()]);
    const responses = await Promise.all(paths.map((p) => training.execute(ENROL, { f: p.id, s: String(session.id) })));
    expect(responses.filter((r) => !r.errors)).toHaveLength(2);
    expect(responses.filter((r) => r.errors?.[0]?.extensions?.code === 'QUOTA_EXCEEDED')).toHaveLength(2);
    const after = await training.execute(`query ($id: ID!) { trainingSession(id: $id) { enrolledCount remainingSeats } }`, {
      id: String(session.id),
    });
    expect(after.data).toEqual({ trainingSession: { enrolledCount: 2, remainingSeats: 0 } });
  });

  test('a session is created within its lot, with a contract length and a sane capacity', async () => {
    const lot = await createLot(training.orm);
    const input = {
      lotId: String(lot.id),
      place: 'Lille',
      departementCode: '59',
      startDate: '2025-01-06',
      endDate: '2025-02-28',
      hours: 175,
      rhythm: 'ALTERNATING',
      modality: 'IN_PERSON',
      capacity: 12,
    };
    const create = `mutation ($input: CreateTrainingSessionInput!) { createTrainingSession(input: $input) { status modality capacity enrolledCount trainingBody { name } lot { id contract } } }`;
    const ok = await training.execute(create, { input });
    expectNoErrors(ok);
    expect(ok.data).toMatchObject({
      createTrainingSession: {
        status: 'PLANNED',
        modality: 'IN_PERSON',
        capacity: 12,
        enrolledCount: 0,
        lot: { id: String(lot.id), contract: 'CONTRACT_2024' },
      },
    });
    expect((await training.execute(create, { input: { ...input, hours: 280 } })).errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'hours',
    });
    expect((await training.execute(create, { input: { ...input, capacity: 0 } })).errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'capacity',
    });
    expect((await training.execute(create, { input: { ...input, startDate: '2023-06-01' } })).errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'startDate',
    });
    expect((await training.execute(create, { input: { ...input, lotId: '2147000000' } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('running a path', () => {
  test('start needs a confirmed session; completion sets the certification deadline; absences are tracked', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id });
    const [id] = await enrolled(session.id, 1);
    const start = `mutation ($f: ID!, $on: Date!) { startTrainingPath(formationId: $f, on: $on) { status startDate modality } }`;
    const early = await training.execute(start, { f: id, on: '2025-03-03' });
    expect(early.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    expectNoErrors(await training.execute(CONFIRM, { id: String(session.id) }));
    const started = await training.execute(start, { f: id, on: '2025-03-04' });
    expectNoErrors(started);
    expect(started.data).toEqual({ startTrainingPath: { status: 'IN_PROGRESS', startDate: '2025-03-04', modality: 'REMOTE' } });

    const record = `mutation ($input: RecordAbsenceInput!) { recordAbsence(input: $input) { id hours justified } }`;
    const absence = await training.execute<{ recordAbsence: { id: string } }>(record, {
      input: { formationId: id, date: '2025-03-10', hours: 7 },
    });
    expectNoErrors(absence);
    expectNoErrors(
      await training.execute(record, { input: { formationId: id, date: '2025-03-11', hours: 3, justification: 'Arrêt maladie' } }),
    );
    expect((await training.execute(record, { input: { formationId: id, date: '2025-03-10', hours: 2 } })).errors?.[0]?.extensions).toEqual({
      code: 'CONFLICT',
      field: 'date',
    });
    expect((await training.execute(record, { input: { formationId: id, date: '2025-03-12', hours: 8 } })).errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'hours',
    });
    expect((await training.execute(record, { input: { formationId: id, date: '2025-07-01', hours: 2 } })).errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'date',
    });

    const path = `query ($id: ID!) { formation(id: $id) { status endDate unjustifiedAbsenceHours certificationDeadline absences { date justified } } }`;
    expect((await training.execute(path, { id })).data).toMatchObject({
      formation: { unjustifiedAbsenceHours: 7, certificationDeadline: null },
    });
    const justify = await training.execute(
      `mutation ($a: ID!) { justifyAbsence(absenceId: $a, justification: "Convocation Pôle emploi") { justified justification } }`,
      { a: absence.data!.recordAbsence.id },
    );
    expect(justify.data).toEqual({ justifyAbsence: { justified: true, justification: 'Convocation Pôle emploi' } });

    const completed = await training.execute(`mutation ($f: ID!) { completeTrainingPath(formationId: $f, on: "2025-05-28") { status } }`, {
      f: id,
    });
    expectNoErrors(completed);
    expect((await training.execute(path, { id })).data).toEqual({
      formation: {
        status: 'COMPLETED',
        endDate: '2025-05-28',
        unjustifiedAbsenceHours: 0,
        certificationDeadline: '2025-11-28',
        absences: [
          { date: '2025-03-10', justified: true },
          { date: '2025-03-11', justified: true },
        ],
      },
    });
    const tooLong = await training.execute(`mutation ($a: ID!, $j: String!) { justifyAbsence(absenceId: $a, justification: $j) { id } }`, {
      a: absence.data!.recordAbsence.id,
      j: 'x'.repeat(1001),
    });
    expect(tooLong.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'justification' });
    const abandon = await training.execute(`mutation ($f: ID!) { abandonTrainingPath(formationId: $f, on: "2025-06-01") { status } }`, {
      f: id,
    });
    expect(abandon.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', from: 'COMPLETED', to: 'ABANDONED' });
  });

  test('abandoning frees the seat, re-applies the 8-learner rule and lets a new path open', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id });
    const ids = await enrolled(session.id, 8);
    expectNoErrors(await training.execute(CONFIRM, { id: String(session.id) }));
    const abandon = await training.execute(
      `mutation ($f: ID!) { abandonTrainingPath(formationId: $f, on: "2025-03-01", reason: "Rupture") { status abandonedOn abandonReason conseiller { id } } }`,
      { f: ids[3] },
    );
    expectNoErrors(abandon);
    const { conseiller } = (abandon.data as { abandonTrainingPath: { conseiller: { id: string } } }).abandonTrainingPath;
    expect(abandon.data).toMatchObject({
      abandonTrainingPath: { status: 'ABANDONED', abandonedOn: '2025-03-01', abandonReason: 'Rupture' },
    });
    const after = await training.execute(`query ($id: ID!) { trainingSession(id: $id) { modality enrolledCount } }`, {
      id: String(session.id),
    });
    expect(after.data).toEqual({ trainingSession: { modality: 'REMOTE', enrolledCount: 7 } });
    await openPath(175, '2025-09-01', Number(conseiller.id));
  });
});
