import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createLearner, createLot, createSession, createTrainingPath, hireAdvisor } from '../support/factories/training.js';
import { Learner } from '../../subgraphs/training/entities/index.js';
import { failsWith, succeeds } from '../support/graphql.js';
import { uniqueId } from '../support/ids.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

let training: TestSubgraph;
beforeAll(async () => {
  training = await openTestSubgraph('training');
});
afterAll(async () => {
  await training.close();
});

const RECORD = /* GraphQL */ `
  mutation ($input: RecordCertificationResultInput!) {
    recordCertificationResult(input: $input) {
      certificationAttempt {
        type
        attempt
        date
        result
        pixSkillLevels
        conseiller {
          id
        }
      }
    }
  }
`;
const ADVISOR = /* GraphQL */ `
  query ($id: _Any!, $asOf: Date) {
    _entities(representations: [$id]) {
      ... on Conseiller {
        certificationLevel
        trainingEndDate
        pixCertified
        certificationProgress(asOf: $asOf) {
          deadline
          missing
          overdue
        }
        certifications {
          type
          attempt
          result
        }
        exemption {
          reason
          grantedOn
          comment
        }
        trainingPath {
          id
          status
        }
      }
    }
  }
`;

/** An advisor who completed a 175 h path ending on `endDate`. */
async function trainedAdvisor(endDate = '2025-01-31'): Promise<number> {
  const conseillerId = uniqueId();
  await createLearner(training.orm, { conseillerId, entryDate: '2024-11-04' });
  await createTrainingPath(training.orm, { conseillerId, hours: 175, status: 'COMPLETED', startDate: '2024-11-04', endDate });
  return conseillerId;
}

const advisor = async (id: number, asOf?: string) => {
  const data = await succeeds(training.execute(ADVISOR, { id: { __typename: 'Conseiller', id: String(id) }, asOf }));
  return data._entities[0];
};

describe('certification results', () => {
  test('CCP1 failed then passed on retake; Pix result follows from the three skills; level and deadline follow', async () => {
    const id = await trainedAdvisor('2025-01-31');
    expect(await advisor(id, '2025-07-31')).toMatchObject({
      certificationLevel: 'NONE',
      pixCertified: false,
      certificationProgress: { deadline: '2025-07-31', missing: ['CCP1', 'PIX'], overdue: false },
    });
    expect(await advisor(id, '2025-08-01')).toMatchObject({ certificationProgress: { overdue: true } });

    const first = await succeeds(
      training.execute(RECORD, { input: { conseillerId: String(id), type: 'CCP1', date: '2025-03-10', result: 'FAILED' } }),
    );
    expect(first).toEqual({
      recordCertificationResult: {
        certificationAttempt: {
          type: 'CCP1',
          attempt: 1,
          date: '2025-03-10',
          result: 'FAILED',
          pixSkillLevels: null,
          conseiller: { id: String(id) },
        },
      },
    });
    const pix = await succeeds(
      training.execute(RECORD, { input: { conseillerId: String(id), type: 'PIX', date: '2025-04-02', pixSkillLevels: [5, 6, 5] } }),
    );
    expect(pix).toMatchObject({
      recordCertificationResult: { certificationAttempt: { type: 'PIX', attempt: 1, result: 'PASSED', pixSkillLevels: [5, 6, 5] } },
    });
    expect(await advisor(id, '2025-08-01')).toMatchObject({
      certificationLevel: 'PIX',
      trainingEndDate: '2025-01-31',
      pixCertified: true,
      certificationProgress: { missing: ['CCP1'], overdue: true },
    });

    const retake = await succeeds(
      training.execute(RECORD, { input: { conseillerId: String(id), type: 'CCP1', date: '2025-05-20', result: 'PASSED' } }),
    );
    expect(retake).toMatchObject({ recordCertificationResult: { certificationAttempt: { attempt: 2, result: 'PASSED' } } });
    expect(await advisor(id, '2025-08-01')).toMatchObject({
      certificationLevel: 'CCP1',
      certificationProgress: { deadline: '2025-07-31', missing: [], overdue: false },
      certifications: [
        { type: 'CCP1', attempt: 1, result: 'FAILED' },
        { type: 'PIX', attempt: 1, result: 'PASSED' },
        { type: 'CCP1', attempt: 2, result: 'PASSED' },
      ],
    });

    const again = await failsWith(
      'CONFLICT',
      training.execute(RECORD, { input: { conseillerId: String(id), type: 'CCP1', date: '2025-06-20', result: 'PASSED' } }),
    );
    expect(again).toMatchObject({ field: 'type' });

    for (const type of ['CCP2', 'CCP3'])
      await succeeds(training.execute(RECORD, { input: { conseillerId: String(id), type, date: '2025-09-01', result: 'PASSED' } }));
    expect(await advisor(id)).toMatchObject({ certificationLevel: 'REMN' });
  });

  test('bad inputs are refused with the offending field, and nothing is written', async () => {
    const id = String(await trainedAdvisor());
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'PIX', date: '2025-03-01', pixSkillLevels: [5, 5] }, 'pixSkillLevels'],
      [{ type: 'PIX', date: '2025-03-01', result: 'PASSED', pixSkillLevels: [5, 5, 5] }, 'result'],
      [{ type: 'CCP1', date: '2025-03-01' }, 'result'],
      [{ type: 'CCP1', date: '2025-03-01', result: 'PASSED', pixSkillLevels: [5, 5, 5] }, 'pixSkillLevels'],
      [{ type: 'CCP1', date: '2999-01-01', result: 'PASSED' }, 'date'],
    ];
    for (const [input, field] of cases) {
      expect(await failsWith('BAD_USER_INPUT', training.execute(RECORD, { input: { conseillerId: id, ...input } }))).toMatchObject({
        field,
      });
    }
    expect(await advisor(Number(id))).toMatchObject({ certifications: [] });

    const untrained = uniqueId();
    await createLearner(training.orm, { conseillerId: untrained });
    await createTrainingPath(training.orm, {
      conseillerId: untrained,
      hours: 175,
      status: 'IN_PROGRESS',
      startDate: '2025-01-06',
      endDate: '2025-03-28',
    });
    const early = await failsWith(
      'BAD_USER_INPUT',
      training.execute(RECORD, { input: { conseillerId: String(untrained), type: 'CCP1', date: '2025-02-01', result: 'PASSED' } }),
    );
    expect(early).toMatchObject({ field: 'conseillerId' });
  });
});

describe('exemptions', () => {
  const GRANT = /* GraphQL */ `
    mutation ($input: GrantExemptionInput!) {
      grantExemption(input: $input) {
        conseiller {
          id
          exemption {
            reason
            grantedOn
            comment
          }
          certificationLevel
          trainingPath {
            id
          }
        }
      }
    }
  `;
  /** An advisor hired in Guadeloupe (recruitment's contract, fed to training's copy). */
  const hiredAdvisor = async () => {
    const conseillerId = uniqueId();
    await hireAdvisor(training.orm, { conseillerId, departementCode: '971', regionCode: '01' });
    return conseillerId;
  };
  /** Opens a 70 h path for the advisor. */
  const openPath = (conseillerId: number) =>
    training.execute(`mutation ($input: OpenTrainingPathInput!) { openTrainingPath(input: $input) { trainingPath { id } } }`, {
      input: { conseillerId: String(conseillerId), hours: 70, plannedStartDate: '2025-03-03' },
    });
  const input = (conseillerId: number, reason = 'CCP1_HOLDER') => ({
    conseillerId: String(conseillerId),
    reason,
    grantedOn: '2025-02-01',
    comment: 'Diplôme vu',
  });

  test('only for an advisor hired or being hired, the employer taken from the contract', async () => {
    const candidate = uniqueId();
    expect(await failsWith('BAD_USER_INPUT', training.execute(GRANT, { input: input(candidate) }))).toMatchObject({
      field: 'conseillerId',
    });
    const id = await hiredAdvisor();
    await succeeds(training.execute(GRANT, { input: input(id) }));
    expect(await training.orm.em.fork().findOne(Learner, id)).toMatchObject({
      departementCode: '971',
      regionCode: '01',
      exemptedOn: '2025-02-01',
    });
  });

  test('a CCP1 holder skips initial training and counts as CCP1 certified; no path can open afterwards', async () => {
    const id = await hiredAdvisor();
    const data = await succeeds(training.execute(GRANT, { input: input(id) }));
    expect(data).toEqual({
      grantExemption: {
        conseiller: {
          id: String(id),
          exemption: { reason: 'CCP1_HOLDER', grantedOn: '2025-02-01', comment: 'Diplôme vu' },
          certificationLevel: 'CCP1',
          trainingPath: null,
        },
      },
    });
    expect(await advisor(id, '2030-01-01')).toMatchObject({ certificationProgress: { deadline: null, missing: ['PIX'], overdue: false } });

    const open = await failsWith('CONFLICT', openPath(id));
    expect(open).toMatchObject({ field: 'conseillerId' });
    expect(await failsWith('CONFLICT', training.execute(GRANT, { input: input(id, 'CATIC') }))).toMatchObject({ field: 'conseillerId' });
    // Exempted advisors sit their certifications without a path.
    await succeeds(
      training.execute(RECORD, { input: { conseillerId: String(id), type: 'PIX', date: '2025-03-01', pixSkillLevels: [7, 7, 7] } }),
    );
  });

  test('a pending enrolment is abandoned and its seat freed; a path under way makes the exemption too late', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id, hours: 70 });
    const id = await hiredAdvisor();
    const opened = await succeeds(openPath(id));
    const pathId = opened.openTrainingPath.trainingPath.id;
    await succeeds(
      training.execute(
        `mutation ($f: ID!, $s: ID!) { enrolInSession(input: { trainingPathId: $f, sessionId: $s }) { trainingPath { id } } }`,
        {
          f: pathId,
          s: String(session.id),
        },
      ),
    );

    const granted = await succeeds(training.execute(GRANT, { input: input(id, 'USETIC') }));
    expect(granted).toMatchObject({
      grantExemption: { conseiller: { exemption: { reason: 'USETIC' }, certificationLevel: 'NONE', trainingPath: null } },
    });
    const path = await succeeds(
      training.execute(
        `query ($id: ID!) { trainingPath(id: $id) { status abandonReason } trainingSession(id: ${session.id}) { enrolledCount } }`,
        { id: pathId },
      ),
    );
    expect(path).toEqual({
      trainingPath: { status: 'ABANDONED', abandonReason: 'Exempted from initial training (USETIC).' },
      trainingSession: { enrolledCount: 0 },
    });

    const inTraining = await hiredAdvisor();
    await createTrainingPath(training.orm, {
      conseillerId: inTraining,
      hours: 70,
      status: 'IN_PROGRESS',
      startDate: '2025-01-06',
      endDate: '2025-01-17',
    });
    expect(await failsWith('CONFLICT', training.execute(GRANT, { input: input(inTraining) }))).toMatchObject({ field: 'conseillerId' });
    expect(await advisor(inTraining)).toMatchObject({ exemption: null, trainingPath: { status: 'IN_PROGRESS' } });
  });
});
