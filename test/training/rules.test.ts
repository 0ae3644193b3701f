import { addMonths } from '../../common/calendar.js';
import { describe, expect, test } from '@jest/globals';
import { engagesOn, placementOn, type ContractRow } from '../../subgraphs/training/rules/hiring.js';
import {
  assertPathHours,
  assertPathTransition,
  certificationDeadline,
  certificationLevel,
  certificationProgress,
  contractFor,
  effectiveModality,
  moduleObligations,
  nextAttemptNumber,
  passedCertifications,
  pixResult,
  plannedEndDate,
  positioningLevel,
} from '../../subgraphs/training/rules/training.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { code?: string; field?: string } }).extensions;
  }
  return undefined;
};

describe('path length set by the positioning test', () => {
  test('105/280/350/420 h until 2023, 70/175/315 h from 2024', () => {
    expect(contractFor('2023-12-31')).toBe('CONTRACT_2021');
    expect(contractFor('2024-01-01')).toBe('CONTRACT_2024');
    for (const hours of [105, 280, 350, 420]) expect(() => assertPathHours(hours, '2022-05-01')).not.toThrow();
    for (const hours of [70, 175, 315]) expect(() => assertPathHours(hours, '2024-02-01')).not.toThrow();
    expect(codeOf(() => assertPathHours(70, '2023-06-01'))).toEqual({ code: 'BAD_USER_INPUT', field: 'hours' });
    expect(codeOf(() => assertPathHours(420, '2024-06-01'))).toEqual({ code: 'BAD_USER_INPUT', field: 'hours' });
  });

  test('2024 lengths name the positioning level; 2021 ones have none', () => {
    expect([70, 175, 315].map(positioningLevel)).toEqual(['AVANCE', 'INTERMEDIAIRE', 'DEBUTANT']);
    expect(positioningLevel(280)).toBeNull();
  });

  test('planned end: 35 hours a week from the planned start', () => {
    expect(plannedEndDate('2024-03-04', 70)).toBe('2024-03-17');
    expect(plannedEndDate('2024-03-04', 175)).toBe('2024-04-07');
  });
});

describe('path state machine', () => {
  test('allows the programme’s steps and refuses the rest', () => {
    expect(() => assertPathTransition('TO_ENROL', 'ENROLLED')).not.toThrow();
    expect(() => assertPathTransition('ENROLLED', 'TO_ENROL')).not.toThrow();
    expect(() => assertPathTransition('ENROLLED', 'IN_PROGRESS')).not.toThrow();
    expect(() => assertPathTransition('IN_PROGRESS', 'COMPLETED')).not.toThrow();
    expect(() => assertPathTransition('IN_PROGRESS', 'ABANDONED')).not.toThrow();
    expect(codeOf(() => assertPathTransition('TO_ENROL', 'IN_PROGRESS'))?.code).toBe('INVALID_STATUS_TRANSITION');
    expect(codeOf(() => assertPathTransition('COMPLETED', 'ABANDONED'))?.code).toBe('INVALID_STATUS_TRANSITION');
    expect(codeOf(() => assertPathTransition('ABANDONED', 'ENROLLED'))?.code).toBe('INVALID_STATUS_TRANSITION');
  });
});

describe('the 8-learner rule', () => {
  test('in person needs at least 8 learners; remote stays remote', () => {
    expect(effectiveModality('IN_PERSON', 7)).toBe('REMOTE');
    expect(effectiveModality('IN_PERSON', 8)).toBe('IN_PERSON');
    expect(effectiveModality('IN_PERSON', 0)).toBe('REMOTE');
    expect(effectiveModality('REMOTE', 20)).toBe('REMOTE');
  });
});

describe('certifications', () => {
  test('the deadline is six calendar months after training, clamped to the month’s end', () => {
    expect(certificationDeadline('2024-03-15')).toBe('2024-09-15');
    expect(certificationDeadline('2023-08-31')).toBe('2024-02-29');
    expect(certificationDeadline('2024-08-31')).toBe('2025-02-28');
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
  });

  test('Pix passes with the three required skills at level 5 or more', () => {
    expect(pixResult([5, 5, 5])).toBe('PASSED');
    expect(pixResult([8, 6, 5])).toBe('PASSED');
    expect(pixResult([5, 4, 8])).toBe('FAILED');
    expect(codeOf(() => pixResult([5, 5]))).toEqual({ code: 'BAD_USER_INPUT', field: 'pixSkillLevels' });
    expect(codeOf(() => pixResult([5, 5, 9]))).toEqual({ code: 'BAD_USER_INPUT', field: 'pixSkillLevels' });
  });

  test('retakes follow failures, after the previous attempt; none once passed', () => {
    expect(nextAttemptNumber('CCP1', '2024-06-01', [])).toBe(1);
    const failed = [{ type: 'CCP1' as const, result: 'FAILED' as const, date: '2024-06-01' }];
    expect(nextAttemptNumber('CCP1', '2024-09-01', failed)).toBe(2);
    expect(nextAttemptNumber('PIX', '2024-05-01', failed)).toBe(1);
    expect(codeOf(() => nextAttemptNumber('CCP1', '2024-05-01', failed))).toEqual({ code: 'BAD_USER_INPUT', field: 'date' });
    const passed = [...failed, { type: 'CCP1' as const, result: 'PASSED' as const, date: '2024-09-01' }];
    expect(codeOf(() => nextAttemptNumber('CCP1', '2024-12-01', passed))).toEqual({ code: 'CONFLICT', field: 'type' });
  });

  test('level: REMN (title, or CCP2 with CCP3), else CCP1, else PIX, else NONE; exemptions count', () => {
    const level = (
      types: ('CCP1' | 'CCP2' | 'CCP3' | 'REMN' | 'PIX')[],
      exemption: 'CCP1_HOLDER' | 'REMN_HOLDER' | 'CATIC' | null = null,
    ) =>
      certificationLevel(
        passedCertifications(
          types.map((type) => ({ type, result: 'PASSED' as const, date: '2024-01-01' })),
          exemption,
        ),
      );
    expect(level([])).toBe('NONE');
    expect(level(['PIX'])).toBe('PIX');
    expect(level(['PIX', 'CCP1'])).toBe('CCP1');
    expect(level(['CCP1', 'CCP2'])).toBe('CCP1');
    expect(level(['CCP1', 'CCP2', 'CCP3'])).toBe('REMN');
    expect(level(['REMN'])).toBe('REMN');
    expect(level([], 'CCP1_HOLDER')).toBe('CCP1');
    expect(level([], 'REMN_HOLDER')).toBe('REMN');
    expect(level([], 'CATIC')).toBe('NONE');
    const failedOnly = passedCertifications([{ type: 'CCP1', result: 'FAILED', date: '2024-01-01' }], null);
    expect(certificationLevel(failedOnly)).toBe('NONE');
  });

  test('overdue once the deadline is past with CCP1 or Pix missing', () => {
    const passed = (...types: ('CCP1' | 'PIX')[]) => new Set(types);
    expect(certificationProgress({ trainingEndDate: '2024-01-10', passed: passed('CCP1'), asOf: '2024-07-10' })).toEqual({
      deadline: '2024-07-10',
      missing: ['PIX'],
      overdue: false,
    });
    expect(certificationProgress({ trainingEndDate: '2024-01-10', passed: passed('CCP1'), asOf: '2024-07-11' }).overdue).toBe(true);
    expect(certificationProgress({ trainingEndDate: '2024-01-10', passed: passed('CCP1', 'PIX'), asOf: '2025-01-01' })).toEqual({
      deadline: '2024-07-10',
      missing: [],
      overdue: false,
    });
    // Not trained yet, or exempted: no deadline runs.
    expect(certificationProgress({ trainingEndDate: null, passed: passed(), asOf: '2030-01-01' })).toEqual({
      deadline: null,
      missing: ['CCP1', 'PIX'],
      overdue: false,
    });
  });
});

describe('continuing education', () => {
  test('2 modules in the first year, then 1 per calendar year after it', () => {
    const obligations = moduleObligations({
      entryDate: '2024-03-04',
      moduleDates: ['2024-06-10', '2025-01-20', '2026-05-05'],
      asOf: '2026-06-01',
    });
    expect(obligations).toEqual([
      { period: 'FIRST_YEAR', from: '2024-03-04', until: '2025-03-03', required: 2, done: 2, late: false },
      { period: 'CALENDAR_YEAR', from: '2026-01-01', until: '2026-12-31', required: 1, done: 1, late: false },
    ]);
  });

  test('late only once the period is over', () => {
    const during = moduleObligations({ entryDate: '2024-03-04', moduleDates: ['2024-06-10'], asOf: '2025-03-03' });
    expect(during[0]!.late).toBe(false);
    const after = moduleObligations({ entryDate: '2024-03-04', moduleDates: ['2024-06-10'], asOf: '2025-03-04' });
    expect(after[0]).toMatchObject({ done: 1, late: true });
    const yearMissed = moduleObligations({ entryDate: '2024-01-01', moduleDates: ['2024-02-01', '2024-09-01'], asOf: '2026-01-01' });
    expect(yearMissed.map((o) => [o.period, o.from, o.late])).toEqual([
      ['FIRST_YEAR', '2024-01-01', false],
      ['CALENDAR_YEAR', '2025-01-01', true],
      ['CALENDAR_YEAR', '2026-01-01', false],
    ]);
  });

  test('advisors trained before 2024 owe one module a year from 2024; future entrants owe nothing yet', () => {
    const veteran = moduleObligations({ entryDate: '2022-05-02', moduleDates: ['2024-04-01'], asOf: '2025-06-01' });
    expect(veteran.map((o) => [o.period, o.from, o.done, o.late])).toEqual([
      ['CALENDAR_YEAR', '2024-01-01', 1, false],
      ['CALENDAR_YEAR', '2025-01-01', 0, false],
    ]);
    expect(moduleObligations({ entryDate: '2026-09-01', moduleDates: [], asOf: '2026-06-01' })).toEqual([]);
  });
});

describe('who training counts as hired, and where (rules/hiring.ts)', () => {
  const contract = (miseEnRelationId: number, data: Partial<ContractRow>): ContractRow => ({
    miseEnRelationId,
    structureId: miseEnRelationId * 10,
    status: 'FINALISEE',
    ...data,
  });

  test('being signed, or employing and not ended before the day; cancelled, candidate or ended: no', () => {
    expect(engagesOn(contract(1, { status: 'RECRUTEE', startDate: '2025-01-01' }), '2030-01-01')).toBe(true);
    expect(engagesOn(contract(1, { employedFrom: '2025-01-01', employedUntil: null }), '2030-01-01')).toBe(true);
    // Signed, not started yet: hired.
    expect(engagesOn(contract(1, { employedFrom: '2025-09-01', employedUntil: '2026-08-31' }), '2025-03-01')).toBe(true);
    expect(engagesOn(contract(1, { employedFrom: '2024-01-01', employedUntil: '2024-12-31' }), '2024-12-31')).toBe(true);
    expect(
      engagesOn(contract(1, { status: 'FINALISEE_RUPTURE', employedFrom: '2024-01-01', employedUntil: '2024-06-30' }), '2024-07-01'),
    ).toBe(false);
    expect(engagesOn(contract(1, { status: 'INTERESSEE' }), '2024-07-01')).toBe(false);
  });

  test('the contract employing that day (the latest started), else the next to come; none: null', () => {
    const ended = contract(1, { status: 'TERMINEE', employedFrom: '2022-01-01', employedUntil: '2023-12-31' });
    const renewal = contract(2, { employedFrom: '2024-01-01', employedUntil: null });
    const elsewhere = contract(3, { status: 'RECRUTEE', startDate: '2025-09-01' });
    const later = contract(4, { employedFrom: '2025-06-01', employedUntil: null });
    expect(placementOn([ended, renewal, elsewhere], '2023-06-01')).toBe(ended);
    expect(placementOn([ended, renewal, elsewhere], '2025-01-01')).toBe(renewal);
    expect(placementOn([ended, elsewhere, later], '2025-01-01')).toBe(later);
    expect(placementOn([ended, elsewhere], '2025-01-01')).toBe(elsewhere);
    expect(placementOn([ended], '2025-01-01')).toBeNull();
    expect(placementOn([], '2025-01-01')).toBeNull();
  });
});
