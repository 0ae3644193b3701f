import { describe, expect, test } from '@jest/globals';
import type { Convention, EmploymentContract, Post } from '../../subgraphs/conventions/entities/index.js';
import { placeContracts, termsOf, type ContractCopy } from '../../subgraphs/conventions/rules/contracts.js';
import type { ConventionBook } from '../../subgraphs/conventions/rules/ledger.js';

/** Which post each of recruitment's contracts holds: the pure rule, over rows in hand. */

function book(id: number, phase: Convention['phase'], startDate: string, endDate: string, posts: Partial<Post>[]): ConventionBook {
  return {
    convention: { id, phase, startDate, endDate } as Convention,
    posts: posts.map(
      (p, i) => ({ id: id * 10 + i, typology: 'CONSEILLER', state: 'VACANT', conseillerId: null, renewedFromId: null, ...p }) as Post,
    ),
    tranches: [],
    contracts: [],
  };
}

function copy(id: number, overrides: Partial<ContractCopy> = {}): ContractCopy {
  return {
    miseEnRelationId: id,
    conseillerId: 100 + id,
    status: 'FINALISEE',
    phase: 'PHASE_1',
    coordinator: false,
    contractType: 'CDD',
    startDate: '2025-01-06',
    endDate: '2025-12-31',
    ruptureDate: null,
    renewalOfId: null,
    employedFrom: '2025-01-06',
    employedUntil: '2025-12-31',
    ...overrides,
  };
}

const receivedOn = (b: ConventionBook, postId: number, c: ContractCopy) =>
  b.contracts.push({ miseEnRelationId: c.miseEnRelationId, post: { id: postId }, ...termsOf(c) } as EmploymentContract);

describe('placing contracts on posts', () => {
  test('a contract in post takes the first vacant post of its phase and typology whose agreement its period overlaps', () => {
    const phase1 = book(1, 'PHASE_1', '2025-01-01', '2026-06-30', [{ typology: 'COORDINATEUR' }, {}, {}]);
    const other = book(2, 'PHASE_2', '2025-01-01', '2027-12-31', [{}]);
    const { placements, changes } = placeContracts([phase1, other], [copy(1), copy(2, { coordinator: true })], []);
    expect(placements.map((p) => [p.copy.miseEnRelationId, p.post.id])).toEqual([
      [1, 11],
      [2, 10],
    ]);
    expect(changes.map((c) => [c.post.id, c.state, c.conseillerId])).toEqual([
      [10, 'OCCUPE', 102],
      [11, 'OCCUPE', 101],
    ]);
  });

  test('a contract outside every running agreement, or with no vacant post, waits', () => {
    const b = book(1, 'PHASE_1', '2025-01-01', '2026-06-30', [{}]);
    const later = copy(3, { startDate: '2027-01-04', employedFrom: '2027-01-04', employedUntil: null, endDate: null, contractType: 'CDI' });
    const { placements } = placeContracts([b], [copy(1), copy(2), later], []);
    expect(placements.map((p) => p.copy.miseEnRelationId)).toEqual([1]);
  });

  test('a renewal prefers the post renewed from its predecessor; a new contract leaves posts reserved by a renewal for last', () => {
    const phase1 = book(1, 'PHASE_1', '2023-01-01', '2024-12-31', [{}, {}]);
    const phase2 = book(2, 'PHASE_2', '2025-01-01', '2027-12-31', [{ renewedFromId: 10 }, { renewedFromId: 11 }, {}]);
    const old = copy(1, {
      status: 'TERMINEE',
      startDate: '2023-01-02',
      employedFrom: '2023-01-02',
      endDate: '2024-12-31',
      employedUntil: '2024-12-31',
    });
    receivedOn(phase1, 11, old);
    const renewal = copy(2, { phase: 'PHASE_2', renewalOfId: 1, conseillerId: 101, startDate: '2025-01-01', employedFrom: '2025-01-01' });
    const fresh = copy(3, { phase: 'PHASE_2', startDate: '2025-01-01', employedFrom: '2025-01-01' });
    const { placements } = placeContracts([phase1, phase2], [old, renewal, fresh], [{ miseEnRelationId: 1, post: { id: 11 } as Post }]);
    expect(placements.map((p) => [p.copy.miseEnRelationId, p.post.id])).toEqual([
      [2, 21],
      [3, 22],
    ]);
  });

  test('a post is OCCUPE exactly while a contract received on it is in post; an ended one is history on a post free over its days', () => {
    const b = book(1, 'PHASE_1', '2025-01-01', '2026-06-30', [{ state: 'OCCUPE', conseillerId: 101 }, {}]);
    const ended = copy(1, { status: 'FINALISEE_RUPTURE', ruptureDate: '2025-03-31', employedUntil: '2025-03-31' });
    receivedOn(b, 10, ended);
    expect(b.contracts[0]!.endedEarlyOn).toBe('2025-03-31');
    const history = copy(2, {
      status: 'TERMINEE_NATURELLE',
      startDate: '2025-02-03',
      employedFrom: '2025-02-03',
      employedUntil: '2025-05-31',
    });
    const { placements, changes } = placeContracts([b], [ended, history], [{ miseEnRelationId: 1, post: { id: 10 } as Post }]);
    // Post 10 was worked until 2025-03-31: the history overlapping it goes to post 11, which it does not occupy.
    expect(placements.map((p) => [p.copy.miseEnRelationId, p.post.id])).toEqual([[2, 11]]);
    expect(changes.map((c) => [c.post.id, c.state, c.conseillerId])).toEqual([[10, 'VACANT', null]]);
  });

  test('the same state placed again changes nothing', () => {
    const b = book(1, 'PHASE_1', '2025-01-01', '2026-06-30', [{ state: 'OCCUPE', conseillerId: 101 }]);
    const c = copy(1);
    receivedOn(b, 10, c);
    expect(placeContracts([b], [c], [{ miseEnRelationId: 1, post: { id: 10 } as Post }])).toEqual({ placements: [], changes: [] });
  });
});
