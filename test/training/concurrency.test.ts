import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { copies, expectOneWinner } from '../support/concurrency.js';
import { createLot, createModule, createSession, hireAdvisor } from '../support/factories/training.js';
import { succeeds } from '../support/graphql.js';
import { uniqueId } from '../support/ids.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

/**
 * Training paths, sessions and module registrations under concurrent writes (real PostgreSQL in CI): exactly one
 * of the conflicting steps wins, the others get a stable code, and seats still add up.
 */
let training: TestSubgraph;
beforeAll(async () => {
  training = await openTestSubgraph('training');
});
afterAll(async () => {
  await training?.close();
});

/** Lozère, which no other suite uses: the territorial figures they read while these tests run stay theirs. */
const OWN_TERRITORY = { departementCode: '48', regionCode: '76' };
const OPEN = `mutation ($input: OpenTrainingPathInput!) { openTrainingPath(input: $input) { trainingPath { id } } }`;
const ENROL = `mutation ($f: ID!, $s: ID!) { enrolInSession(input: { trainingPathId: $f, sessionId: $s }) { trainingPath { id } } }`;
const SEATS = `query ($id: ID!) { trainingSession(id: $id) { enrolledCount } }`;

/** Opens a path for an advisor hired in Lozère first. */
async function openPath(conseillerId = uniqueId()): Promise<string> {
  await hireAdvisor(training.orm, { conseillerId, ...OWN_TERRITORY });
  const data = await succeeds(
    training.execute(OPEN, { input: { conseillerId: String(conseillerId), hours: 175, plannedStartDate: '2025-03-03' } }),
  );
  return data.openTrainingPath.trainingPath.id;
}

async function seats(sessionId: number): Promise<number> {
  const data = await succeeds(training.execute(SEATS, { id: String(sessionId) }));
  return data.trainingSession.enrolledCount;
}

describe('training', () => {
  test('one path enrolled in three sessions at once: it holds one seat, in one session', async () => {
    const lot = await createLot(training.orm);
    const sessions = await Promise.all(
      [1, 2, 3].map(() => createSession(training.orm, { departementCode: OWN_TERRITORY.departementCode, lotId: lot.id })),
    );
    const path = await openPath();
    await expectOneWinner(
      sessions.map((s) => () => training.execute(ENROL, { f: path, s: String(s.id) })),
      ['INVALID_STATUS_TRANSITION'],
    );
    expect((await Promise.all(sessions.map((s) => seats(s.id)))).sort()).toEqual([0, 0, 1]);
  });

  test('three paths for the last seat at once: one enrolled, the others QUOTA_EXCEEDED', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { departementCode: OWN_TERRITORY.departementCode, lotId: lot.id, capacity: 1 });
    const paths = [await openPath(), await openPath(), await openPath()];
    await expectOneWinner(
      paths.map((f) => () => training.execute(ENROL, { f, s: String(session.id) })),
      ['QUOTA_EXCEEDED'],
    );
    expect(await seats(session.id)).toBe(1);
  });

  test('withdrawal against start of a path in a confirmed session: one of them, and the seat follows', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, {
      departementCode: OWN_TERRITORY.departementCode,
      lotId: lot.id,
      status: 'CONFIRMED',
      startDate: '2025-03-03',
      endDate: '2025-05-30',
    });
    const path = await openPath();
    await succeeds(training.execute(ENROL, { f: path, s: String(session.id) }));
    const { winner } = await expectOneWinner(
      [
        () =>
          training.execute(`mutation ($f: ID!) { withdrawFromSession(input: { trainingPathId: $f }) { trainingPath { id } } }`, {
            f: path,
          }),
        () =>
          training.execute(
            `mutation ($f: ID!) { startTrainingPath(input: { trainingPathId: $f, on: "2025-03-03" }) { trainingPath { id } } }`,
            {
              f: path,
            },
          ),
      ],
      ['INVALID_STATUS_TRANSITION', 'CONFLICT'],
    );
    const after = await succeeds(training.execute(`query ($f: ID!) { trainingPath(id: $f) { status session { id } } }`, { f: path }));
    expect(after.trainingPath).toEqual(
      winner === 0 ? { status: 'TO_ENROL', session: null } : { status: 'IN_PROGRESS', session: { id: String(session.id) } },
    );
    expect(await seats(session.id)).toBe(winner === 0 ? 0 : 1);
  });

  test('three registrations for the same module day at once: one registration', async () => {
    const conseillerId = uniqueId();
    await openPath(conseillerId);
    const module = await createModule(training.orm);
    const register = `mutation ($c: ID!, $m: ID!) { registerForModule(input: { conseillerId: $c, moduleId: $m, date: "2025-06-12" }) { moduleRegistration { id } } }`;
    await expectOneWinner(
      copies(3, () => training.execute(register, { c: String(conseillerId), m: String(module.id) })),
      ['CONFLICT'],
    );
  });
});
