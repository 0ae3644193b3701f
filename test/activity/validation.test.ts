import { describe, expect, test } from '@jest/globals';
import { activityGroup } from '../../subgraphs/activity/rules/activity-groups.js';
import { employerOn, parseDuration, validateCra, type CraInput, type Employment } from '../../subgraphs/activity/rules/cra-validation.js';
import { largestRemainderPercentages } from '../../subgraphs/activity/rules/percentages.js';
import { validatePlace, type PlaceInput } from '../../subgraphs/activity/rules/place-validation.js';
import { splitPeriod } from '../../subgraphs/activity/rules/statistics.js';
import { craInput } from '../support/factories/activity.js';

const TODAY = '2024-11-15';
/** Advisor 7 is employed by structure 3 since 2020, open-ended. */
const EMPLOYED: Employment[] = [{ structureId: 3, from: '2020-01-01', until: null }];
const base = (overrides: Partial<CraInput> = {}) => craInput({ conseillerId: 7, ...overrides });
const workshop = (participants: number, overrides: Partial<CraInput> = {}) =>
  base({
    activityType: 'COLLECTIF',
    participants,
    ages: { under12: 0, from12To18: 0, from18To35: 0, from35To60: participants >> 1, over60: participants - (participants >> 1) },
    statuses: { etudiant: 0, sansEmploi: 0, enEmploi: participants >> 1, retraite: participants - (participants >> 1), heterogene: 0 },
    ...overrides,
  });
/** The fields named by the problems of an input (empty when valid). */
const fields = (input: CraInput) => {
  const result = validateCra(input, TODAY, EMPLOYED);
  return result.ok ? [] : result.issues.map((i) => i.field);
};

describe('validateCra: a valid report', () => {
  test('becomes the stored columns, with the territory of its commune', () => {
    const result = validateCra(base({ communeCode: '2A004', postalCode: '20000', duration: '90' }), TODAY, EMPLOYED);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.values).toMatchObject({
      conseillerId: 7,
      structureId: 3,
      communeName: 'Ajaccio',
      departementCode: '2A',
      regionCode: '94',
      durationMinutes: 90,
      durationBucket: 'MINUTES_60_120',
    });
  });
  test('a workshop of 100 with every optional part filled is valid', () => {
    expect(
      fields(
        workshop(100, {
          recurringParticipants: 100,
          themes: ['SANTE', 'EQUIPEMENT_INFORMATIQUE'],
          subThemes: ['ESPACE_SANTE', 'TABLETTE'],
          followUps: { individual: 10, workshop: 20, redirected: 5 },
          redirections: [
            { body: 'CAF', count: 3 },
            { body: 'AUTRE', otherName: 'Point justice', count: 2 },
          ],
          annotation: 'Atelier en médiathèque',
          placeId: '12',
        }),
      ),
    ).toEqual([]);
  });
});

describe('validateCra: every rule names its field', () => {
  test.each<[string, Partial<CraInput> | (() => CraInput), string]>([
    ['advisor id not an id', { conseillerId: 'abc' }, 'conseillerId'],
    ['advisor id past the integer range', { conseillerId: '2147483648' }, 'conseillerId'],
    ['place id not an id', { placeId: '-1' }, 'placeId'],
    ['date not a calendar day', { date: '2024-02-30' }, 'date'],
    ['date before 2020', { date: '2019-12-31' }, 'date'],
    ['date in the future', { date: '2024-11-16' }, 'date'],
    ['no participant', { participants: 0 }, 'participants'],
    ['more than 100 participants', () => workshop(101), 'participants'],
    ['several people outside a workshop', () => workshop(2, { activityType: 'INDIVIDUEL' }), 'participants'],
    ['more recurring than participants', { recurringParticipants: 2 }, 'recurringParticipants'],
    ['negative recurring', { recurringParticipants: -1 }, 'recurringParticipants'],
    ['ages not adding up', { ages: { under12: 0, from12To18: 0, from18To35: 0, from35To60: 0, over60: 0 } }, 'ages'],
    ['a negative age count', { ages: { under12: -1, from12To18: 0, from18To35: 2, from35To60: 0, over60: 0 } }, 'ages'],
    ['statuses not adding up', { statuses: { etudiant: 1, sansEmploi: 1, enEmploi: 0, retraite: 0, heterogene: 0 } }, 'statuses'],
    ['a status count over 100', { statuses: { etudiant: 101, sansEmploi: 0, enEmploi: 0, retraite: 0, heterogene: 0 } }, 'statuses'],
    ['no theme', { themes: [] }, 'themes'],
    ['a theme twice', { themes: ['INTERNET', 'INTERNET'] }, 'themes'],
    ['an unknown theme', { themes: ['MAGIE' as never] }, 'themes'],
    ['a sub-theme without its theme', { subThemes: ['TABLETTE'] }, 'subThemes'],
    ['a sub-theme twice', { themes: ['SANTE'], subThemes: ['ESPACE_SANTE', 'ESPACE_SANTE'] }, 'subThemes'],
    ['a duration of 45 minutes as a number', { duration: '45' }, 'duration'],
    ['a duration in words', { duration: 'une heure' }, 'duration'],
    ['a duration over a day', { duration: '1441' }, 'duration'],
    ['more follow-ups than participants', { followUps: { individual: 1, workshop: 1, redirected: 0 } }, 'followUps'],
    ['a negative follow-up', { followUps: { individual: -1, workshop: 0, redirected: 0 } }, 'followUps'],
    [
      'a redirection body twice',
      {
        followUps: { individual: 0, workshop: 0, redirected: 1 },
        redirections: [
          { body: 'CAF', count: 1 },
          { body: 'CAF', count: 1 },
        ],
      },
      'redirections',
    ],
    ['a redirection of 0 people', { redirections: [{ body: 'CAF', count: 0 }] }, 'redirections'],
    [
      'AUTRE without a name',
      { followUps: { individual: 0, workshop: 0, redirected: 1 }, redirections: [{ body: 'AUTRE', count: 1 }] },
      'redirections',
    ],
    [
      'a name for a listed body',
      { followUps: { individual: 0, workshop: 0, redirected: 1 }, redirections: [{ body: 'CAF', otherName: 'CAF 13', count: 1 }] },
      'redirections',
    ],
    ['redirections not matching follow-ups', { redirections: [{ body: 'CAF', count: 1 }] }, 'redirections'],
    ['an unknown commune', { communeCode: '99999' }, 'communeCode'],
    ['a postal code of another commune', { postalCode: '75001' }, 'postalCode'],
    ['a postal code not of 5 digits', { postalCode: '1300' }, 'postalCode'],
    ['an annotation too long', { annotation: 'x'.repeat(1001) }, 'annotation'],
  ])('%s → %s', (_label, change, field) => {
    const input = typeof change === 'function' ? change() : base(change);
    expect(fields(input)).toEqual([field]);
  });

  test('every problem is reported at once', () => {
    expect(fields(base({ date: '2019-01-01', themes: [], duration: '10' }))).toEqual(['date', 'themes', 'duration']);
  });
});

describe('employerOn: the structure employing the advisor on the day', () => {
  const cdd: Employment = { structureId: 3, from: '2024-01-01', until: '2024-12-31' };
  test('within a contract, its first and last days included, the report goes to its structure', () => {
    for (const day of ['2024-01-01', '2024-06-15', '2024-12-31']) expect(employerOn(7, day, [cdd])).toEqual({ structureId: 3 });
  });
  test('before the start or after the end (or the rupture day) the date is refused, with the periods', () => {
    expect(employerOn(7, '2023-12-31', [cdd])).toEqual({
      message: 'advisor 7 is not employed on 2023-12-31 (employed by structure 3 from 2024-01-01 to 2024-12-31).',
    });
    expect(employerOn(7, '2025-01-01', [cdd])).toHaveProperty('message');
  });
  test('an advisor never hired files nothing', () => {
    expect(employerOn(7, '2024-03-01', [])).toEqual({
      message: 'advisor 7 has no employment contract: only an employed advisor files reports.',
    });
  });
  test('between two structures, each day goes to the one employing it; on an overlap day, the contract that started last', () => {
    const next: Employment = { structureId: 9, from: '2024-12-31', until: null };
    expect(employerOn(7, '2024-12-30', [next, cdd])).toEqual({ structureId: 3 });
    expect(employerOn(7, '2024-12-31', [cdd, next])).toEqual({ structureId: 9 });
    expect(employerOn(7, '2030-01-01', [cdd, next])).toEqual({ structureId: 9 });
    expect(employerOn(7, '2023-01-01', [next, cdd])).toEqual({
      message:
        'advisor 7 is not employed on 2023-01-01 (employed by structure 3 from 2024-01-01 to 2024-12-31; structure 9 from 2024-12-31 with no end).',
    });
  });
  test('validateCra derives the structure and refuses the date outside any employment', () => {
    const result = validateCra(base({ date: '2024-03-01' }), TODAY, [cdd]);
    expect(result.ok && result.values.structureId).toBe(3);
    expect(validateCra(base({ date: '2023-03-01' }), TODAY, [cdd])).toMatchObject({ ok: false, issues: [{ field: 'date' }] });
    expect(validateCra(base(), TODAY, [])).toMatchObject({ ok: false, issues: [{ field: 'date' }] });
  });
});

describe('durations', () => {
  test('0-30 counts 30 minutes, 30-60 counts 60, minutes ≥ 60 count as filed, in four buckets', () => {
    expect(['0-30', '30-60', '60', '119', '120', '300'].map(parseDuration)).toEqual([
      { minutes: 30, bucket: 'MINUTES_0_30' },
      { minutes: 60, bucket: 'MINUTES_30_60' },
      { minutes: 60, bucket: 'MINUTES_60_120' },
      { minutes: 119, bucket: 'MINUTES_60_120' },
      { minutes: 120, bucket: 'MINUTES_120_PLUS' },
      { minutes: 300, bucket: 'MINUTES_120_PLUS' },
    ]);
    expect(['59', '0', '', '60.5', '30-90'].map(parseDuration)).toEqual([null, null, null, null, null]);
  });
});

describe('largest-remainder percentages', () => {
  test('add up to exactly 100 where rounding would not', () => {
    expect(largestRemainderPercentages([1, 1, 1])).toEqual([34, 33, 33]);
    expect(largestRemainderPercentages([2, 2, 2, 1])).toEqual([29, 29, 28, 14]);
    expect(largestRemainderPercentages([0, 5, 0])).toEqual([0, 100, 0]);
    expect(largestRemainderPercentages([0, 0])).toEqual([0, 0]);
  });
  test('on random counts: always 100, and each within one point of the exact share', () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let run = 0; run < 500; run++) {
      const counts = Array.from({ length: 1 + (next() % 20) }, () => next() % 1000);
      const percents = largestRemainderPercentages(counts);
      const total = counts.reduce((a, b) => a + b, 0);
      if (total === 0) continue;
      expect(percents.reduce((a, b) => a + b, 0)).toBe(100);
      percents.forEach((p, i) => expect(Math.abs(p - (counts[i]! * 100) / total)).toBeLessThan(1));
    }
  });
});

describe('statistics periods', () => {
  test('whole months are read monthly, the days around them daily', () => {
    expect(splitPeriod('2024-01-01', '2024-12-31')).toEqual({ months: ['2024-01-01', '2024-12-01'], edges: [] });
    expect(splitPeriod('2024-01-15', '2024-03-10')).toEqual({
      months: ['2024-02-01', '2024-02-01'],
      edges: [
        ['2024-01-15', '2024-01-31'],
        ['2024-03-01', '2024-03-10'],
      ],
    });
    expect(splitPeriod('2024-02-03', '2024-02-29')).toEqual({ months: null, edges: [['2024-02-03', '2024-02-29']] });
    expect(splitPeriod('2024-01-20', '2024-02-10')).toEqual({ months: null, edges: [['2024-01-20', '2024-02-10']] });
  });
});

describe('activity groups', () => {
  test('active within 30 days, then 30 days without, none this year, never', () => {
    expect(activityGroup('2024-10-20', '2024-11-15')).toBe('ACTIVE');
    expect(activityGroup('2024-10-16', '2024-11-15')).toBe('ACTIVE');
    expect(activityGroup('2024-10-15', '2024-11-15')).toBe('INACTIVE_30_DAYS');
    expect(activityGroup('2023-12-20', '2024-11-15')).toBe('NONE_THIS_YEAR');
    expect(activityGroup('2023-12-20', '2024-01-10')).toBe('ACTIVE');
    expect(activityGroup(null, '2024-11-15')).toBe('NEVER');
  });
});

describe('validatePlace', () => {
  const open = { morningOpens: '09:00', morningCloses: '12:00', afternoonOpens: '14:00', afternoonCloses: '17:00' };
  const place = (overrides: Partial<PlaceInput> = {}): PlaceInput => ({
    structureId: '3',
    name: 'Médiathèque',
    street: 'rue Pasteur',
    postalCode: '13001',
    communeCode: '13055',
    openingHours: [open, open, open, open, open, {}, {}],
    accessTypes: ['LIBRE'],
    ...overrides,
  });
  const placeFields = (input: PlaceInput) => {
    const result = validatePlace(input);
    return result.ok ? [] : result.issues.map((i) => i.field);
  };
  test('a valid place keeps its week and the territory of its commune', () => {
    const result = validatePlace(place());
    expect(result.ok && result.values).toMatchObject({
      departementCode: '13',
      regionCode: '93',
      communeName: 'Marseille',
      openingHours: expect.arrayContaining([{ morning: null, afternoon: null }]),
    });
  });
  test.each<[string, Partial<PlaceInput>, string]>([
    ['six days', { openingHours: [open, open, open, open, open, {}] }, 'openingHours'],
    ['a half-day with one time', { openingHours: [{ morningOpens: '09:00' }, open, open, open, open, {}, {}] }, 'openingHours[0].morning'],
    [
      'closing before opening',
      { openingHours: [{ morningOpens: '12:00', morningCloses: '09:00' }, open, open, open, open, {}, {}] },
      'openingHours[0].morning',
    ],
    [
      'a time that is not HH:MM',
      { openingHours: [open, { afternoonOpens: '2pm', afternoonCloses: '17:00' }, open, open, open, {}, {}] },
      'openingHours[1].afternoon',
    ],
    [
      'the morning overlapping the afternoon',
      { openingHours: [open, { ...open, morningCloses: '15:00' }, open, open, open, {}, {}] },
      'openingHours[1]',
    ],
    ['no access type', { accessTypes: [] }, 'accessTypes'],
    ['an unknown commune', { communeCode: '00000' }, 'communeCode'],
    ['a bad email', { email: 'nope' }, 'email'],
    ['an advisor twice', { conseillers: [{ conseillerId: '4' }, { conseillerId: '4' }] }, 'conseillers'],
    ['latitude without longitude', { latitude: 43.3 }, 'latitude'],
  ])('%s → %s', (_label, change, field) => {
    expect(placeFields(place(change))).toEqual([field]);
  });
});
