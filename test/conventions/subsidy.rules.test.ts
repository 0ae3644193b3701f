import { describe, expect, test } from '@jest/globals';
import { addMonths, monthsStarted, periodEnd } from '../../common/calendar.js';
import {
  allowedInitialMonths,
  coordinatorSubsidy,
  initialAgreementMonths,
  initialSubsidyPerPostCents,
  postFunding,
  fundingForMonths,
  monthsWorked,
  renewalSubsidyPerPost,
  splitProportionally,
  trancheSchedule,
  trancheWeights,
} from '../../subgraphs/conventions/rules/subsidy.js';

describe('initial (V1) subsidy per post, as published', () => {
  test.each([
    ['75', 50_000_00],
    ['2A', 50_000_00],
    ['971', 70_000_00],
    ['972', 70_000_00],
    ['973', 70_000_00],
    ['974', 67_500_00],
    ['976', 67_500_00],
  ])('public structure in %s: %i cents over 24 months', (departement, cents) => {
    expect(initialSubsidyPerPostCents('PUBLIC', departement, 24)).toBe(cents);
    expect(initialSubsidyPerPostCents('PUBLIC', departement)).toBe(cents);
  });

  test('private structure: 40,000 € over 24 months or 32,000 € over 18 months, wherever it is', () => {
    for (const departement of ['13', '971', '974']) {
      expect(initialSubsidyPerPostCents('PRIVATE', departement, 24)).toBe(40_000_00);
      expect(initialSubsidyPerPostCents('PRIVATE', departement, 18)).toBe(32_000_00);
    }
    expect(initialAgreementMonths('PRIVATE')).toBe(18);
    expect(initialSubsidyPerPostCents('PRIVATE', '13')).toBe(32_000_00);
  });

  test('durations the programme does not offer are refused', () => {
    expect(allowedInitialMonths('PUBLIC')).toEqual([24]);
    expect(() => initialSubsidyPerPostCents('PUBLIC', '75', 18)).toThrow(/24 months, not 18/);
    expect(() => initialSubsidyPerPostCents('PRIVATE', '75', 36)).toThrow(/24 or 18 months/);
  });
});

describe('coordinator and renewal (V2) subsidies', () => {
  test('coordinator post: 40,000 € CDI over 24 months, 32,000 € CDD over 18 months', () => {
    expect(coordinatorSubsidy('CDI')).toEqual({ amountCents: 40_000_00, months: 24 });
    expect(coordinatorSubsidy('CDD')).toEqual({ amountCents: 32_000_00, months: 18 });
    // The coordinator amount does not depend on the sector or on overseas rates.
    expect(
      postFunding({
        phase: 'PHASE_1',
        typology: 'COORDINATEUR',
        coordinatorContract: 'CDI',
        sector: 'PUBLIC',
        departementCode: '971',
        agreementMonths: 24,
        priorityArea: false,
      }),
    ).toEqual({ amountCents: 40_000_00, bonusCents: 0, months: 24 });
    expect(() =>
      postFunding({
        phase: 'PHASE_1',
        typology: 'COORDINATEUR',
        sector: 'PUBLIC',
        departementCode: '75',
        agreementMonths: 24,
        priorityArea: false,
      }),
    ).toThrow(/CDI or CDD/);
  });

  test('renewal: 42,500 € over 3 years, bonification to 50,000 € in a QPV or ZRR', () => {
    expect(renewalSubsidyPerPost(false)).toEqual({ amountCents: 42_500_00, bonusCents: 0, months: 36 });
    const priority = renewalSubsidyPerPost(true);
    expect(priority.amountCents + priority.bonusCents).toBe(50_000_00);
    expect(
      postFunding({
        phase: 'PHASE_2',
        typology: 'CONSEILLER',
        sector: 'PRIVATE',
        departementCode: '974',
        agreementMonths: 36,
        priorityArea: true,
      }),
    ).toEqual({ amountCents: 42_500_00, bonusCents: 7_500_00, months: 36 });
  });

  test('phase-1 advisor posts follow the sector and the département', () => {
    const base = { phase: 'PHASE_1', typology: 'CONSEILLER', priorityArea: true } as const;
    expect(postFunding({ ...base, sector: 'PUBLIC', departementCode: '973', agreementMonths: 24 })).toEqual({
      amountCents: 70_000_00,
      bonusCents: 0,
      months: 24,
    });
    expect(postFunding({ ...base, sector: 'PRIVATE', departementCode: '59', agreementMonths: 18 })).toEqual({
      amountCents: 32_000_00,
      bonusCents: 0,
      months: 18,
    });
  });
});

describe('proration of a post given back', () => {
  test('the funding is scaled to the months used, base and bonification rounded down to the cent', () => {
    const funding = { amountCents: 50_000_00, bonusCents: 0, months: 24 };
    expect(fundingForMonths(funding, 6)).toEqual({ amountCents: 12_500_00, bonusCents: 0, months: 6 });
    expect(fundingForMonths(funding, 7)).toEqual({ amountCents: 14_583_33, bonusCents: 0, months: 7 });
    expect(fundingForMonths(funding, 0)).toEqual({ amountCents: 0, bonusCents: 0, months: 0 });
    expect(fundingForMonths(funding, 30)).toEqual(funding);
    expect(fundingForMonths({ amountCents: 42_500_00, bonusCents: 7_500_00, months: 36 }, 12)).toEqual({
      amountCents: 14_166_66,
      bonusCents: 2_500_00,
      months: 12,
    });
  });

  test('months used: the months of the window, up to the give-back day, with an advisor under contract on one of their days', () => {
    const contracts = [
      { startDate: '2022-03-15', lastDay: '2022-05-10' },
      { startDate: '2022-09-01', lastDay: null },
    ];
    // March, April, May, then September to November (given back on 15 November): 6 months.
    expect(monthsWorked('2022-01-01', 24, '2022-11-15', contracts)).toEqual([
      '2022-03-01',
      '2022-04-01',
      '2022-05-01',
      '2022-09-01',
      '2022-10-01',
      '2022-11-01',
    ]);
    expect(monthsWorked('2022-01-01', 24, '2022-11-15', [])).toEqual([]);
    // Never beyond the window.
    expect(monthsWorked('2022-01-01', 2, '2030-01-01', [{ startDate: '2021-01-01', lastDay: null }])).toEqual(['2022-01-01', '2022-02-01']);
  });

  test('calendar arithmetic clamps to the end of the month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(periodEnd('2022-03-01', 24)).toBe('2024-02-29');
    expect(monthsStarted('2022-01-15', '2022-02-14', 24)).toBe(1);
    expect(monthsStarted('2022-01-15', '2022-02-15', 24)).toBe(2);
  });
});

describe('payment schedule', () => {
  test('one tranche per year of the period: the first at signature, then N+1 and N+2', () => {
    expect(trancheSchedule('2024-01-01', 36, '2023-12-15')).toEqual([
      { rank: 1, periodStart: '2024-01-01', periodEnd: '2024-12-31', dueDate: '2024-01-01' },
      { rank: 2, periodStart: '2025-01-01', periodEnd: '2025-12-31', dueDate: '2025-01-01' },
      { rank: 3, periodStart: '2026-01-01', periodEnd: '2026-12-31', dueDate: '2026-01-01' },
    ]);
    expect(trancheSchedule('2021-04-01', 18, '2021-05-10')).toEqual([
      { rank: 1, periodStart: '2021-04-01', periodEnd: '2022-03-31', dueDate: '2021-05-10' },
      { rank: 2, periodStart: '2022-04-01', periodEnd: '2022-09-30', dueDate: '2022-04-01' },
    ]);
    expect(trancheSchedule('2021-04-01', 24, '2021-04-01')).toHaveLength(2);
  });

  test('a full renewal post is paid 17,500 + 12,500 + 12,500 €, plus 0 + 2,500 + 5,000 € in a priority area', () => {
    const schedule = trancheSchedule('2024-01-01', 36, '2024-01-01');
    const post = { phase: 'PHASE_2', typology: 'CONSEILLER', fundingStart: '2024-01-01', months: 36 } as const;
    const plain = trancheWeights({ ...post, bonusCents: 0 }, schedule);
    expect(splitProportionally(42_500_00, plain)).toEqual([17_500_00, 12_500_00, 12_500_00]);
    const priority = trancheWeights({ ...post, bonusCents: 7_500_00 }, schedule);
    expect(splitProportionally(50_000_00, priority)).toEqual([17_500_00, 15_000_00, 17_500_00]);
  });

  test('other posts are paid pro rata of the months of their window in each tranche year', () => {
    const schedule = trancheSchedule('2021-01-01', 24, '2021-01-01');
    const initial = trancheWeights(
      { phase: 'PHASE_1', typology: 'CONSEILLER', fundingStart: '2021-01-01', months: 24, bonusCents: 0 },
      schedule,
    );
    expect(initial).toEqual([12, 12]);
    expect(splitProportionally(70_000_00, initial)).toEqual([35_000_00, 35_000_00]);
    // A CDD coordinator post (18 months) added in the 7th month of a 24-month agreement: 6 months in year 1, 12 in year 2.
    expect(
      trancheWeights({ phase: 'PHASE_1', typology: 'COORDINATEUR', fundingStart: '2021-07-01', months: 18, bonusCents: 0 }, schedule),
    ).toEqual([6, 12]);
  });

  test('a post given back is paid for its worked months, in the tranche of their year', () => {
    const schedule = trancheSchedule('2022-01-01', 24, '2022-01-01');
    const worked = ['2022-11-01', '2022-12-01', '2023-01-01'];
    expect(
      trancheWeights({ phase: 'PHASE_1', typology: 'CONSEILLER', fundingStart: '2022-01-01', months: 24, bonusCents: 0, worked }, schedule),
    ).toEqual([2, 1]);
  });

  test('a split always adds up to the total, in whole cents', () => {
    expect(splitProportionally(100, [1, 1, 1])).toEqual([33, 33, 34]);
    expect(splitProportionally(32_000_00, [12, 6])).toEqual([21_333_33, 10_666_67]);
    expect(splitProportionally(500, [3, 0])).toEqual([500, 0]);
    expect(splitProportionally(500, [0, 0])).toEqual([0, 500]);
    expect(splitProportionally(0, [1, 2])).toEqual([0, 0]);
    for (const total of [1, 7, 4_999_99, 123_456_78]) {
      expect(splitProportionally(total, [5, 3, 7]).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });
});
