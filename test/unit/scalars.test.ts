import { describe, expect, test } from '@jest/globals';
import { validateFilter } from '../../subgraphs/activity/rules/statistics.js';
import { scalarResolvers } from '../../common/scalars.js';
import { requireDate } from '../../subgraphs/recruitment/rules/validation.js';

/** The Date rule is defined once (common/scalars.ts): the services that check a day given as text apply the same. */
describe('one Date rule', () => {
  const refused = ['2024-02-30', '2023-02-29', '0000-01-01', '0000-00-00', '99999-01-01', '2024-3-1', '2024-03-01T00:00:00Z'];

  test.each(refused)('%s is refused by the scalar and by every service check', (day) => {
    expect(() => scalarResolvers.Date.parseValue(day)).toThrow();
    expect(() => requireDate(day, 'startDate')).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'startDate' } }),
    );
    expect(() => validateFilter({ from: day, to: '2024-12-31' })).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'filter.from' } }),
    );
  });

  test.each(['2024-02-29', '2021-12-31'])('%s is accepted by all of them', (day) => {
    expect(scalarResolvers.Date.parseValue(day)).toBe(day);
    expect(requireDate(day, 'startDate')).toBe(day);
    expect(() => validateFilter({ from: day, to: '2024-12-31' })).not.toThrow();
  });
});
