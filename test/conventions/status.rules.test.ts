import { describe, expect, test } from '@jest/globals';
import { DS_STATES, CONVENTION_STATUSES, DS_PROCEDURES, LEGAL_CATEGORIES } from '../../subgraphs/conventions/entities/vocabulary.js';
import {
  assertConventionTransition,
  assertDsTransition,
  dsProcedure,
  isPhase2Status,
  signedStatus,
} from '../../subgraphs/conventions/rules/status.js';

/** Every (from, to) pair the machine allows, read by trying them all. */
function allowed<T extends string>(values: readonly T[], assert: (from: T, to: T) => void): string[] {
  return values.flatMap((from) =>
    values
      .filter((to) => {
        try {
          assert(from, to);
          return true;
        } catch {
          return false;
        }
      })
      .map((to) => `${from} → ${to}`),
  );
}

describe('state machines', () => {
  test('a DS file goes en_construction → en_instruction → accepte | refuse | sans_suite, and nowhere else', () => {
    expect(allowed(DS_STATES, assertDsTransition)).toEqual([
      'en_construction → en_instruction',
      'en_instruction → accepte',
      'en_instruction → refuse',
      'en_instruction → sans_suite',
    ]);
    expect(() => assertDsTransition('accepte', 'en_instruction')).toThrow('DsFile cannot go from accepte to en_instruction.');
  });

  test('an agreement is signed from EN_COURS or RECONVENTIONNEMENT_INITIE; a renewal may be declined; signed and declined ones are final', () => {
    expect(allowed(CONVENTION_STATUSES, assertConventionTransition)).toEqual([
      'CONVENTIONNEMENT_EN_COURS → CONVENTIONNEMENT_VALIDE',
      'CONVENTIONNEMENT_EN_COURS → CONVENTIONNEMENT_VALIDE_PHASE_2',
      'RECONVENTIONNEMENT_INITIE → NON_INTERESSE',
      'RECONVENTIONNEMENT_INITIE → RECONVENTIONNEMENT_VALIDE',
    ]);
    expect(signedStatus('CONVENTIONNEMENT_EN_COURS', 'PHASE_1')).toBe('CONVENTIONNEMENT_VALIDE');
    expect(signedStatus('CONVENTIONNEMENT_EN_COURS', 'PHASE_2')).toBe('CONVENTIONNEMENT_VALIDE_PHASE_2');
    expect(signedStatus('RECONVENTIONNEMENT_INITIE', 'PHASE_2')).toBe('RECONVENTIONNEMENT_VALIDE');
    expect(CONVENTION_STATUSES.filter(isPhase2Status)).toEqual(['CONVENTIONNEMENT_VALIDE_PHASE_2', 'RECONVENTIONNEMENT_VALIDE']);
  });

  test('the 7 DS procedures: (re)conventionnement by legal category, and coordinator recruitment', () => {
    const used = new Set([
      ...LEGAL_CATEGORIES.map((c) => dsProcedure('CONVENTIONNEMENT', c, false)),
      ...LEGAL_CATEGORIES.map((c) => dsProcedure('RECONVENTIONNEMENT', c, false)),
      dsProcedure('CONVENTIONNEMENT', 'ASSOCIATION', true),
    ]);
    expect([...used].sort()).toEqual([...DS_PROCEDURES].sort());
    // A renewal always uses its category's renewal procedure.
    expect(dsProcedure('RECONVENTIONNEMENT', 'ENTREPRISE', true)).toBe('RECONVENTIONNEMENT_ENTREPRISE');
  });
});
