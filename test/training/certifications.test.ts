import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createFormation, createLearner, createLot, createSession } from '../support/factories/training.js';
import { uniqueId } from '../support/ids.js';
import { expectNoErrors, openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

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
  await createFormation(training.orm, { conseillerId, hours: 175, status: 'COMPLETED', startDate: '2024-11-04', endDate });
  return conseillerId;
}

const advisor = async (id: number, asOf?: string) => {
  const response = await training.execute<{ _entities: Record<string, unknown>[] }>(ADVISOR, {
    id: { __typename: 'Conseiller', id: String(id) },
    asOf,
  });
  expectNoErrors(response);
  return response.data!._entities[0]!;
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

    const first = await training.execute(RECORD, {
      input: { conseillerId: String(id), type: 'CCP1', date: '2025-03-10', result: 'FAILED' },
    });
    expectNoErrors(first);
    expect(first.data).toEqual({
      recordCertificationResult: {
        type: 'CCP1',
        attempt: 1,
        date: '2025-03-10',
        result: 'FAILED',
        pixSkillLevels: null,
        conseiller: { id: String(id) },
      },
    });
    const pix = await training.execute(RECORD, {
      input: { conseillerId: String(id), type: 'PIX', date: '2025-04-02', pixSkillLevels: [5, 6, 5] },
    });
    expectNoErrors(pix);
    expect(pix.data).toMatchObject({ recordCertificationResult: { type: 'PIX', attempt: 1, result: 'PASSED', pixSkillLevels: [5, 6, 5] } });
    expect(await advisor(id, '2025-08-01')).toMatchObject({
      certificationLevel: 'PIX',
      trainingEndDate: '2025-01-31',
      pixCertified: true,
      certificationProgress: { missing: ['CCP1'], overdue: true },
    });

    const retake = await training.execute(RECORD, {
      input: { conseillerId: String(id), type: 'CCP1', date: '2025-05-20', result: 'PASSED' },
    });
    expectNoErrors(retake);
    expect(retake.data).toMatchObject({ recordCertificationResult: { attempt: 2, result: 'PASSED' } });
    expect(await advisor(id, '2025-08-01')).toMatchObject({
      certificationLevel: 'CCP1',
      certificationProgress: { deadline: '2025-07-31', missing: [], overdue: false },
      certifications: [
        { type: 'CCP1', attempt: 1, result: 'FAILED' },
        { type: 'PIX', attempt: 1, result: 'PASSED' },
        { type: 'CCP1', attempt: 2, result: 'PASSED' },
      ],
    });

    const again = await training.execute(RECORD, {
      input: { conseillerId: String(id), type: 'CCP1', date: '2025-06-20', result: 'PASSED' },
    });
    expect(again.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'type' });

    for (const type of ['CCP2', 'CCP3'])
      expectNoErrors(await training.execute(RECORD, { input: { conseillerId: String(id), type, date: '2025-09-01', result: 'PASSED' } }));
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
      const response = await training.execute(RECORD, { input: { conseillerId: id, ...input } });
      expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    expect(await advisor(Number(id))).toMatchObject({ certifications: [] });

    const untrained = uniqueId();
    await createLearner(training.orm, { conseillerId: untrained });
    await createFormation(training.orm, {
      conseillerId: untrained,
      hours: 175,
      status: 'IN_PROGRESS',
      startDate: '2025-01-06',
      endDate: '2025-03-28',
    });
    const early = await training.execute(RECORD, {
      input: { conseillerId: String(untrained), type: 'CCP1', date: '2025-02-01', result: 'PASSED' },
    });
    expect(early.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'conseillerId' });
  });
});

describe('exemptions', () => {
  const GRANT = /* GraphQL */ `
    mutation ($input: GrantExemptionInput!) {
      grantExemption(input: $input) {
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
  `;
  const input = (conseillerId: number, reason = 'CCP1_HOLDER') => ({
    conseillerId: String(conseillerId),
    structureId: String(uniqueId()),
    departementCode: '971',
    regionCode: '01',
    reason,
    grantedOn: '2025-02-01',
    comment: 'Diplôme vu',
  });

  test('a CCP1 holder skips initial training and counts as CCP1 certified; no path can open afterwards', async () => {
    const id = uniqueId();
    const response = await training.execute(GRANT, { input: input(id) });
    expectNoErrors(response);
    expect(response.data).toEqual({
      grantExemption: {
        id: String(id),
        exemption: { reason: 'CCP1_HOLDER', grantedOn: '2025-02-01', comment: 'Diplôme vu' },
        certificationLevel: 'CCP1',
        trainingPath: null,
      },
    });
    expect(await advisor(id, '2030-01-01')).toMatchObject({ certificationProgress: { deadline: null, missing: ['PIX'], overdue: false } });

    const open = await training.execute(`mutation ($input: OpenTrainingPathInput!) { openTrainingPath(input: $input) { id } }`, {
      input: {
        conseillerId: String(id),
        structureId: '1',
        departementCode: '971',
        regionCode: '01',
        hours: 70,
        plannedStartDate: '2025-03-03',
      },
    });
    expect(open.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'conseillerId' });
    expect((await training.execute(GRANT, { input: input(id, 'CATIC') })).errors?.[0]?.extensions).toEqual({
      code: 'CONFLICT',
      field: 'conseillerId',
    });
    // Exempted advisors sit their certifications without a path.
    expectNoErrors(
      await training.execute(RECORD, { input: { conseillerId: String(id), type: 'PIX', date: '2025-03-01', pixSkillLevels: [7, 7, 7] } }),
    );
  });

  test('a pending enrolment is abandoned and its seat freed; a path under way makes the exemption too late', async () => {
    const lot = await createLot(training.orm);
    const session = await createSession(training.orm, { lotId: lot.id, hours: 70 });
    const id = uniqueId();
    const opened = await training.execute<{ openTrainingPath: { id: string } }>(
      `mutation ($input: OpenTrainingPathInput!) { openTrainingPath(input: $input) { id } }`,
      {
        input: {
          conseillerId: String(id),
          structureId: '1',
          departementCode: '971',
          regionCode: '01',
          hours: 70,
          plannedStartDate: '2025-03-03',
        },
      },
    );
    expectNoErrors(opened);
    const pathId = opened.data!.openTrainingPath.id;
    expectNoErrors(
      await training.execute(`mutation ($f: ID!, $s: ID!) { enrolInSession(formationId: $f, sessionId: $s) { id } }`, {
        f: pathId,
        s: String(session.id),
      }),
    );

    const granted = await training.execute(GRANT, { input: input(id, 'USETIC') });
    expectNoErrors(granted);
    expect(granted.data).toMatchObject({
      grantExemption: { exemption: { reason: 'USETIC' }, certificationLevel: 'NONE', trainingPath: null },
    });
    const path = await training.execute(
      `query ($id: ID!) { formation(id: $id) { status abandonReason } trainingSession(id: ${session.id}) { enrolledCount } }`,
      { id: pathId },
    );
    expect(path.data).toEqual({
      formation: { status: 'ABANDONED', abandonReason: 'Exempted from initial training (USETIC).' },
      trainingSession: { enrolledCount: 0 },
    });

    const inTraining = uniqueId();
    await createFormation(training.orm, {
      conseillerId: inTraining,
      hours: 70,
      status: 'IN_PROGRESS',
      startDate: '2025-01-06',
      endDate: '2025-01-17',
    });
    expect((await training.execute(GRANT, { input: input(inTraining) })).errors?.[0]?.extensions).toEqual({
      code: 'CONFLICT',
      field: 'conseillerId',
    });
    expect(await advisor(inTraining)).toMatchObject({ exemption: null, trainingPath: { status: 'IN_PROGRESS' } });
  });
});
