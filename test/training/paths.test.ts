import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { outcomeOf } from '../support/concurrency.js';
import { createLearner, createLot, createSession, hireAdvisor } from '../support/factories/training.js';
import { failsWith, succeeds, type Data } from '../support/graphql.js';
import { uniqueId } from '../support/ids.js';
import { contractState, feed } from '../support/events.js';
import { contractEnded, contractSigned, recruitmentCancelled } from '../../common/events/catalogue.js';
import { Learner } from '../../subgraphs/training/entities/index.js';
import { countStatements } from '../support/sql-counter.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

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
      trainingPath {
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
  }
`;
const ENROL = `mutation ($f: ID!, $s: ID!) { enrolInSession(input: { trainingPathId: $f, sessionId: $s }) { trainingPath { id status modality rhythm startDate endDate session { id } } } }`;
const CONFIRM = `mutation ($id: ID!) { confirmTrainingSession(input: { sessionId: $id }) { trainingSession { status plannedModality modality switchedToRemote enrolledCount remainingSeats trainingPaths { id modality } } } }`;
const WITHDRAW = `mutation ($f: ID!) { withdrawFromSession(input: { trainingPathId: $f }) { trainingPath { id status modality session { id } } } }`;

/** Opens a path for an advisor, hired first (recruitment's contract, fed to training's copy) unless `hired: false`. */
async function openPath(
  hours = 175,
  plannedStartDate = '2025-03-03',
  conseillerId = uniqueId(),
  { hired = true } = {},
): Promise<{ id: string; status: string }> {
  if (hired) await hireAdvisor(training.orm, { conseillerId });
  const data = await succeeds(training.execute(OPEN, { input: { conseillerId: String(conseillerId), hours, plannedStartDate } }));
  return data.openTrainingPath.trainingPath;
}

async function enrolled(sessionId: number, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = await openPath();
    await succeeds(training.execute(ENROL, { f: path.id, s: String(sessionId) }));
    ids.push(path.id);
  }
  return ids;
}

describe('opening a path from the positioning test', () => {
  test('a 2024 path opens TO_ENROL with its contract, level and planned dates', async () => {
    const conseillerId = uniqueId();
    await hireAdvisor(training.orm, { conseillerId });
    const data = await succeeds(
      training.execute(OPEN, { input: { conseillerId: String(conseillerId), hours: 315, plannedStartDate: '2024-09-02' } }),
    );
    expect(data).toMatchObject({
      openTrainingPath: {
        trainingPath: {
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
      },
    });
  });

  test('a length the contract does not offer or a second path are refused', async () => {
    const conseillerId = uniqueId();
    await hireAdvisor(training.orm, { conseillerId });
    const input = { conseillerId: String(conseillerId), hours: 105, plannedStartDate: '2024-09-02' };
    expect(await failsWith('BAD_USER_INPUT', training.execute(OPEN, { input }))).toMatchObject({ field: 'hours' });
    await openPath(70, '2024-09-02', conseillerId, { hired: false });
    const second = await failsWith('CONFLICT', training.execute(OPEN, { input: { ...input, hours: 70 } }));
    expect(second).toMatchObject({ field: 'conseillerId' });
  });

  test('two concurrent openings for one advisor: one path, one CONFLICT', async () => {
    // An advisor already known to training (e.g. after an abandoned path): no new learner row to collide on.
    const conseillerId = String(uniqueId());
    await createLearner(training.orm, { conseillerId: Number(conseillerId) });
    const input = { conseillerId, hours: 70, plannedStartDate: '2025-09-01' };
    const responses = await Promise.all([training.execute(OPEN, { input }), training.execute(OPEN, { input })]);
    expect(responses.map(outcomeOf).sort()).toEqual(['CONFLICT', 'OK']);
    const paths = await succeeds(
      training.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Conseiller { trainingPaths { id } } } }`, {
        r: [{ __typename: 'Conseiller', id: conseillerId }],
      }),
    );
    expect(paths._entities[0].trainingPaths).toHaveLength(1);
  });
});

describe('only for an advisor hired or being hired (training’s copy of recruitment’s contracts)', () => {
  const open = (conseillerId: number, plannedStartDate = '2025-03-03') =>
    training.execute(OPEN, { input: { conseillerId: String(conseillerId), hours: 175, plannedStartDate } });
  const learner = (conseillerId: number) => training.orm.em.fork().findOne(Learner, conseillerId);

  test('a mere candidate and a person who does not exist are refused on the advisor, nothing written', async () => {
    // A candidate: recruitment announced nothing about him (no recruitment requested); nobody: an id no one holds.
    for (const conseillerId of [uniqueId(), 2_147_000_000]) {
      const refused = await failsWith('BAD_USER_INPUT', open(conseillerId));
      expect(refused).toMatchObject({ field: 'conseillerId' });
      expect(refused.message).toMatch(/only for an advisor hired or being hired: recruitment has announced no contract/);
      expect(await learner(conseillerId)).toBeNull();
    }
  });

  test('a recruitment cancelled, or a contract ended before the path starts, is refused', async () => {
    const cancelled = uniqueId();
    const requested = await hireAdvisor(training.orm, { conseillerId: cancelled, status: 'RECRUTEE' });
    await feed(training.orm, 'training', recruitmentCancelled, requested.miseEnRelationId, {
      ...requested,
      status: 'INTERESSEE',
      contract: null,
    });
    expect(await failsWith('BAD_USER_INPUT', open(cancelled))).toMatchObject({ field: 'conseillerId' });

    const left = uniqueId();
    const signed = await hireAdvisor(training.orm, {
      conseillerId: left,
      contract: { type: 'CDD', startDate: '2024-01-01', endDate: '2024-12-31', grossMonthlySalaryCents: 180_000 },
    });
    await feed(training.orm, 'training', contractEnded, signed.miseEnRelationId, { ...signed, status: 'TERMINEE_NATURELLE' });
    const ended = await failsWith('BAD_USER_INPUT', open(left, '2025-03-03'));
    expect(ended).toMatchObject({ field: 'conseillerId' });
    expect(ended.message).toMatch(/none of advisor \d+'s contracts is being signed or employs them on 2025-03-03/);
    // Still employed on the last day of the contract.
    await succeeds(open(left, '2024-12-31'));
  });

  test('an advisor being recruited and a hired one are accepted; their employer comes from the contract', async () => {
    const [recruiting, hired] = [uniqueId(), uniqueId()];
    const corsica = uniqueId();
    await hireAdvisor(training.orm, {
      conseillerId: recruiting,
      structureId: corsica,
      departementCode: '2A',
      regionCode: '94',
      status: 'RECRUTEE',
    });
    const saintMartin = uniqueId();
    await hireAdvisor(training.orm, { conseillerId: hired, structureId: saintMartin, departementCode: '978', regionCode: '978' });
    await succeeds(open(recruiting));
    await succeeds(open(hired));
    expect(await learner(recruiting)).toMatchObject({
      structureId: corsica,
      departementCode: '2A',
      regionCode: '94',
      entryDate: '2025-03-03',
    });
    expect(await learner(hired)).toMatchObject({ structureId: saintMartin, departementCode: '978', regionCode: '978' });
  });

  test('the employer typed in is no input any more; a structure not yet known to training is a CONFLICT', async () => {
    const conseillerId = uniqueId();
    await hireAdvisor(training.orm, { conseillerId });
    const typed = await training.execute(OPEN, {
      input: {
        conseillerId: String(conseillerId),
        structureId: '12',
        departementCode: '13',
        regionCode: '93',
        hours: 175,
        plannedStartDate: '2025-03-03',
      },
    });
    expect(typed.errors?.[0]?.message).toMatch(/structureId/);

    const early = uniqueId();
    const structureId = uniqueId();
    const state = contractState({
      miseEnRelationId: uniqueId(),
      conseillerId: early,
      structureId,
      contract: { type: 'CDI', startDate: '2024-01-01', endDate: null, grossMonthlySalaryCents: 180_000 },
    });
    await feed(training.orm, 'training', contractSigned, state.miseEnRelationId, state);
    const refused = await failsWith('CONFLICT', open(early));
    expect(refused.message).toMatch(new RegExp(`Structure ${structureId}, advisor ${early}'s employer, is not known to training yet`));
  });
});

describe('sessions: enrolment and the 8-learner rule', () => {
  test('an in-person session confirmed with 7 learners switches them all to remote', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id });
    const ids = await enrolled(session.id, 7);

    const data = await succeeds(training.execute(CONFIRM, { id: String(session.id) }));
    const confirmed = data.confirmTrainingSession.trainingSession;
    expect(confirmed).toMatchObject({
      status: 'CONFIRMED',
      plannedModality: 'IN_PERSON',
      modality: 'REMOTE',
      switchedToRemote: true,
      enrolledCount: 7,
      remainingSeats: 13,
    });
    expect(confirmed.trainingPaths.map((l: Data) => [l.id, l.modality])).toEqual(ids.map((id) => [id, 'REMOTE']));
  });

  test('with 8 learners it runs in person; a withdrawal leaving 7 switches it to remote', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id });
    const ids = await enrolled(session.id, 8);
    const confirmed = await succeeds(training.execute(CONFIRM, { id: String(session.id) }));
    expect(confirmed).toMatchObject({
      confirmTrainingSession: { trainingSession: { modality: 'IN_PERSON', switchedToRemote: false, enrolledCount: 8 } },
    });

    const withdrawn = await succeeds(training.execute(WITHDRAW, { f: ids[0] }));
    expect(withdrawn).toEqual({ withdrawFromSession: { trainingPath: { id: ids[0], status: 'TO_ENROL', modality: null, session: null } } });

    const after = await succeeds(
      training.execute(
        `query ($id: ID!) { trainingSession(id: $id) { modality switchedToRemote enrolledCount trainingPaths { modality } } }`,
        {
          id: String(session.id),
        },
      ),
    );
    expect(after.trainingSession).toMatchObject({ modality: 'REMOTE', switchedToRemote: true, enrolledCount: 7 });
    expect(after.trainingSession.trainingPaths.every((l: Data) => l.modality === 'REMOTE')).toBe(true);
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
    const data = await succeeds(training.execute(ENROL, { f: path.id, s: String(session.id) }));
    expect(data).toEqual({
      enrolInSession: {
        trainingPath: {
          id: path.id,
          status: 'ENROLLED',
          modality: 'IN_PERSON',
          rhythm: 'CONTINUOUS',
          startDate: '2025-04-07',
          endDate: '2025-05-16',
          session: { id: String(session.id) },
        },
      },
    });

    const full = await failsWith('QUOTA_EXCEEDED', training.execute(ENROL, { f: (await openPath()).id, s: String(session.id) }));
    expect(full).toMatchObject({ field: 'sessionId' });
    const otherLength = await failsWith('BAD_USER_INPUT', training.execute(ENROL, { f: (await openPath(315)).id, s: String(session.id) }));
    expect(otherLength).toMatchObject({ field: 'sessionId' });
    await failsWith('INVALID_STATUS_TRANSITION', training.execute(ENROL, { f: path.id, s: String(session.id) }));
  });

  test('concurrent enrolments never overfill a session (the session row is locked)', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id, capacity: 2 });
    const paths = await Promise.all([openPath(), openPath(), openPath(), openPath()]);
    const responses = await Promise.all(paths.map((p) => training.execute(ENROL, { f: p.id, s: String(session.id) })));
    expect(responses.map(outcomeOf).sort()).toEqual(['OK', 'OK', 'QUOTA_EXCEEDED', 'QUOTA_EXCEEDED']);
    const after = await succeeds(
      training.execute(`query ($id: ID!) { trainingSession(id: $id) { enrolledCount remainingSeats } }`, { id: String(session.id) }),
    );
    expect(after).toEqual({ trainingSession: { enrolledCount: 2, remainingSeats: 0 } });
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
    const create = `mutation ($input: CreateTrainingSessionInput!) { createTrainingSession(input: $input) { trainingSession { status modality capacity enrolledCount trainingBody { name } lot { id contract } } } }`;
    const data = await succeeds(training.execute(create, { input }));
    expect(data).toMatchObject({
      createTrainingSession: {
        trainingSession: {
          status: 'PLANNED',
          modality: 'IN_PERSON',
          capacity: 12,
          enrolledCount: 0,
          lot: { id: String(lot.id), contract: 'CONTRACT_2024' },
        },
      },
    });
    expect(await failsWith('BAD_USER_INPUT', training.execute(create, { input: { ...input, hours: 280 } }))).toMatchObject({
      field: 'hours',
    });
    expect(await failsWith('BAD_USER_INPUT', training.execute(create, { input: { ...input, capacity: 0 } }))).toMatchObject({
      field: 'capacity',
    });
    expect(await failsWith('BAD_USER_INPUT', training.execute(create, { input: { ...input, startDate: '2023-06-01' } }))).toMatchObject({
      field: 'startDate',
    });
    await failsWith('NOT_FOUND', training.execute(create, { input: { ...input, lotId: '2147000000' } }));
  });
});

describe('running a path', () => {
  test('start needs a confirmed session; completion sets the certification deadline; absences are tracked', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id });
    const [id] = await enrolled(session.id, 1);
    const start = `mutation ($f: ID!, $on: Date!) { startTrainingPath(input: { trainingPathId: $f, on: $on }) { trainingPath { status startDate modality } } }`;
    await failsWith('CONFLICT', training.execute(start, { f: id, on: '2025-03-03' }));

    await succeeds(training.execute(CONFIRM, { id: String(session.id) }));
    const started = await succeeds(training.execute(start, { f: id, on: '2025-03-04' }));
    expect(started).toEqual({
      startTrainingPath: { trainingPath: { status: 'IN_PROGRESS', startDate: '2025-03-04', modality: 'REMOTE' } },
    });

    const record = `mutation ($input: RecordAbsenceInput!) { recordAbsence(input: $input) { absence { id hours justified } } }`;
    const absence = await succeeds(training.execute(record, { input: { trainingPathId: id, date: '2025-03-10', hours: 7 } }));
    const absenceId = absence.recordAbsence.absence.id;
    await succeeds(
      training.execute(record, { input: { trainingPathId: id, date: '2025-03-11', hours: 3, justification: 'Arrêt maladie' } }),
    );
    expect(
      await failsWith('CONFLICT', training.execute(record, { input: { trainingPathId: id, date: '2025-03-10', hours: 2 } })),
    ).toMatchObject({
      field: 'date',
    });
    expect(
      await failsWith('BAD_USER_INPUT', training.execute(record, { input: { trainingPathId: id, date: '2025-03-12', hours: 8 } })),
    ).toMatchObject({ field: 'hours' });
    expect(
      await failsWith('BAD_USER_INPUT', training.execute(record, { input: { trainingPathId: id, date: '2025-07-01', hours: 2 } })),
    ).toMatchObject({ field: 'date' });

    const path = `query ($id: ID!) { trainingPath(id: $id) { status endDate unjustifiedAbsenceHours certificationDeadline absences { date justified } } }`;
    expect(await succeeds(training.execute(path, { id }))).toMatchObject({
      trainingPath: { unjustifiedAbsenceHours: 7, certificationDeadline: null },
    });
    const justify = await succeeds(
      training.execute(
        `mutation ($a: ID!) { justifyAbsence(input: { absenceId: $a, justification: "Convocation Pôle emploi" }) { absence { justified justification } } }`,
        { a: absenceId },
      ),
    );
    expect(justify).toEqual({ justifyAbsence: { absence: { justified: true, justification: 'Convocation Pôle emploi' } } });

    await succeeds(
      training.execute(
        `mutation ($f: ID!) { completeTrainingPath(input: { trainingPathId: $f, on: "2025-05-28" }) { trainingPath { status } } }`,
        {
          f: id,
        },
      ),
    );
    expect(await succeeds(training.execute(path, { id }))).toEqual({
      trainingPath: {
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
    const tooLong = await failsWith(
      'BAD_USER_INPUT',
      training.execute(
        `mutation ($a: ID!, $j: String!) { justifyAbsence(input: { absenceId: $a, justification: $j }) { absence { id } } }`,
        {
          a: absenceId,
          j: 'x'.repeat(1001),
        },
      ),
    );
    expect(tooLong).toMatchObject({ field: 'justification' });
    const abandon = await failsWith(
      'INVALID_STATUS_TRANSITION',
      training.execute(
        `mutation ($f: ID!) { abandonTrainingPath(input: { trainingPathId: $f, on: "2025-06-01" }) { trainingPath { status } } }`,
        {
          f: id,
        },
      ),
    );
    expect(abandon).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', from: 'COMPLETED', to: 'ABANDONED' });
  });

  test('abandoning frees the seat, re-applies the 8-learner rule and lets a new path open', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id });
    const ids = await enrolled(session.id, 8);
    await succeeds(training.execute(CONFIRM, { id: String(session.id) }));
    const abandon = await succeeds(
      training.execute(
        `mutation ($f: ID!) { abandonTrainingPath(input: { trainingPathId: $f, on: "2025-03-01", reason: "Rupture" }) { trainingPath { status abandonedOn abandonReason conseiller { id } } } }`,
        { f: ids[3] },
      ),
    );
    const { conseiller } = abandon.abandonTrainingPath.trainingPath;
    expect(abandon).toMatchObject({
      abandonTrainingPath: { trainingPath: { status: 'ABANDONED', abandonedOn: '2025-03-01', abandonReason: 'Rupture' } },
    });
    const after = await succeeds(
      training.execute(`query ($id: ID!) { trainingSession(id: $id) { modality enrolledCount } }`, { id: String(session.id) }),
    );
    expect(after).toEqual({ trainingSession: { modality: 'REMOTE', enrolledCount: 7 } });
    await openPath(175, '2025-09-01', Number(conseiller.id), { hired: false });
  });
});

describe('input checks', () => {
  test('a path started on a day to come is refused on its input without sending any SQL statement', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id });
    const [id] = await enrolled(session.id, 1);
    await succeeds(training.execute(CONFIRM, { id: String(session.id) }));
    const start = `mutation ($f: ID!, $on: Date!) { startTrainingPath(input: { trainingPathId: $f, on: $on }) { trainingPath { status } } }`;
    const { result, total, statements } = await countStatements(training.orm, () => training.execute(start, { f: id, on: '2999-01-04' }));
    expect(await failsWith('BAD_USER_INPUT', result)).toMatchObject({ field: 'on' });
    // Refused before the transaction opens: not even a BEGIN/ROLLBACK pair.
    expect(total).toBe(0);
    expect(statements).toEqual([]);
  });
});
