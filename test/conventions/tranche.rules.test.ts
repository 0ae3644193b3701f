import { describe, expect, test } from '@jest/globals';
import {
  allocateUnpaid,
  overpaidCents,
  trancheState,
  unpaidTrancheAmounts,
  type TrancheFacts,
} from '../../subgraphs/conventions/rules/tranche.js';

describe('allocation of what posts still receive', () => {
  test('the rest of a post subsidy goes to its unpaid tranches, in proportion to its weights', () => {
    const post = { entitledCents: 50_000_00, paidCents: 25_000_00, weights: [12, 12] };
    expect([...allocateUnpaid(post, [2])]).toEqual([[2, 25_000_00]]);
    expect([...allocateUnpaid({ ...post, paidCents: 0 }, [1, 2])]).toEqual([
      [1, 25_000_00],
      [2, 25_000_00],
    ]);
  });

  test('a post cut below what was paid receives nothing more and owes the difference back', () => {
    const post = { entitledCents: 12_500_00, paidCents: 25_000_00, weights: [12, 12] };
    expect([...allocateUnpaid(post, [2])]).toEqual([[2, 0]]);
    expect(overpaidCents(post)).toBe(12_500_00);
    expect(overpaidCents({ entitledCents: 30_000_00, paidCents: 25_000_00 })).toBe(0);
  });

  test('tranche amounts are the sums of every post share', () => {
    const posts = [
      { entitledCents: 42_500_00, paidCents: 0, weights: [17_500_00, 12_500_00, 12_500_00] },
      { entitledCents: 50_000_00, paidCents: 0, weights: [17_500_00, 15_000_00, 17_500_00] },
    ];
    expect(unpaidTrancheAmounts(posts, [1, 2, 3])).toEqual(
      new Map([
        [1, 35_000_00],
        [2, 27_500_00],
        [3, 30_000_00],
      ]),
    );
  });
});

describe('tranche status', () => {
  const tranche: TrancheFacts = {
    rank: 1,
    periodStart: '2024-01-01',
    periodEnd: '2024-12-31',
    dueDate: '2024-02-01',
    amountCents: 100_00,
    paidOn: null,
  };
  const posts = [{ id: 7, shareCents: 100_00 }];
  const contract = { postId: 7, startDate: '2024-03-01', lastDay: null };

  test('planned before its due date, due once contracts covering its year are received, paid with a date', () => {
    expect(trancheState(tranche, { terminatedOn: null, posts, contracts: [contract] }, '2024-01-15')).toEqual({
      status: 'PLANNED',
      blockedReason: null,
    });
    expect(trancheState(tranche, { terminatedOn: null, posts, contracts: [contract] }, '2024-02-01')).toEqual({
      status: 'DUE',
      blockedReason: null,
    });
    expect(trancheState({ ...tranche, paidOn: '2024-02-03' }, { terminatedOn: null, posts, contracts: [] }, '2024-03-01').status).toBe(
      'PAID',
    );
  });

  test('blocked, with the posts named, when a post it pays for has no contract covering its year', () => {
    const state = trancheState(
      tranche,
      { terminatedOn: null, posts: [...posts, { id: 8, shareCents: 50_00 }], contracts: [contract] },
      '2024-06-01',
    );
    expect(state).toEqual({
      status: 'BLOCKED',
      blockedReason: 'No employment contract received covering 2024-01-01 – 2024-12-31 for post 8.',
    });
    // A contract that ended before the tranche year does not cover it; one starting after it neither.
    const old = { postId: 7, startDate: '2022-01-01', lastDay: '2023-12-31' };
    const late = { postId: 7, startDate: '2025-01-01', lastDay: null };
    expect(trancheState(tranche, { terminatedOn: null, posts, contracts: [old, late] }, '2024-06-01').blockedReason).toMatch(
      /for post 7\.$/,
    );
  });

  test('posts with nothing to receive from it do not block; a post given back during its year still needs its contract', () => {
    expect(
      trancheState(tranche, { terminatedOn: null, posts: [...posts, { id: 10, shareCents: 0 }], contracts: [contract] }, '2024-06-01')
        .status,
    ).toBe('DUE');
    // Post 9 was funded for some months of 2024 before being given back: those months are paid against a contract.
    const givenBack = { id: 9, shareCents: 30_00 };
    expect(
      trancheState(tranche, { terminatedOn: null, posts: [...posts, givenBack], contracts: [contract] }, '2024-06-01').blockedReason,
    ).toMatch(/for post 9\.$/);
    const shortContract = { postId: 9, startDate: '2024-01-01', lastDay: '2024-04-30' };
    expect(
      trancheState(tranche, { terminatedOn: null, posts: [...posts, givenBack], contracts: [contract, shortContract] }, '2024-06-01')
        .status,
    ).toBe('DUE');
  });

  test('blocked when nothing is left to pay or when the agreement ended before its year', () => {
    expect(
      trancheState({ ...tranche, amountCents: 0 }, { terminatedOn: null, posts, contracts: [contract] }, '2024-06-01').blockedReason,
    ).toMatch(/given back/);
    expect(
      trancheState(
        { ...tranche, rank: 2, periodStart: '2025-01-01', periodEnd: '2025-12-31', dueDate: '2025-01-01' },
        { terminatedOn: '2024-10-31', posts, contracts: [contract] },
        '2025-06-01',
      ),
    ).toEqual({ status: 'BLOCKED', blockedReason: "The agreement ended on 2024-10-31, before this tranche's year." });
  });
});
