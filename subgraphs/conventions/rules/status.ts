/**
 * State machines of an agreement and of its Démarches Simplifiées file, as pure tables (docs/domain.md §1.6, §2.1,
 * §2.3). Services check every move against them and answer INVALID_STATUS_TRANSITION otherwise.
 */

import { InvalidStatusTransitionError } from '../../../common/errors.js';
import type { Phase, ConventionStatus, DsProcedure, DsState, LegalCategory } from '../entities/vocabulary.js';

/** DS files go `en_construction` → `en_instruction` → `accepte` | `refuse` | `sans_suite`; the last three are final. */
export const DS_TRANSITIONS: Record<DsState, readonly DsState[]> = {
  en_construction: ['en_instruction'],
  en_instruction: ['accepte', 'refuse', 'sans_suite'],
  accepte: [],
  refuse: [],
  sans_suite: [],
};

/**
 * Agreement statuses. Phase 1 and direct phase-2 entries: CONVENTIONNEMENT_EN_COURS → CONVENTIONNEMENT_VALIDE
 * (or _PHASE_2) at signature. Renewals: RECONVENTIONNEMENT_INITIE → RECONVENTIONNEMENT_VALIDE at signature, or
 * NON_INTERESSE when the structure declines (*etat=annuler*). Signed and declined agreements are final.
 */
export const CONVENTION_TRANSITIONS: Record<ConventionStatus, readonly ConventionStatus[]> = {
  CONVENTIONNEMENT_EN_COURS: ['CONVENTIONNEMENT_VALIDE', 'CONVENTIONNEMENT_VALIDE_PHASE_2'],
  RECONVENTIONNEMENT_INITIE: ['RECONVENTIONNEMENT_VALIDE', 'NON_INTERESSE'],
  CONVENTIONNEMENT_VALIDE: [],
  CONVENTIONNEMENT_VALIDE_PHASE_2: [],
  RECONVENTIONNEMENT_VALIDE: [],
  NON_INTERESSE: [],
};

/** Statuses of a signed agreement: the ones that commit money. */
export const SIGNED_STATUSES: readonly ConventionStatus[] = [
  'CONVENTIONNEMENT_VALIDE',
  'CONVENTIONNEMENT_VALIDE_PHASE_2',
  'RECONVENTIONNEMENT_VALIDE',
];

/** "Phase 2" holds for a validated renewal or a direct phase-2 entry (the dashboard's `checkStructurePhase2`). */
export function isPhase2Status(status: ConventionStatus): boolean {
  return status === 'RECONVENTIONNEMENT_VALIDE' || status === 'CONVENTIONNEMENT_VALIDE_PHASE_2';
}

export function assertDsTransition(from: DsState, to: DsState): void {
  if (!DS_TRANSITIONS[from].includes(to)) throw new InvalidStatusTransitionError('DsFile', from, to);
}

export function assertConventionTransition(from: ConventionStatus, to: ConventionStatus): void {
  if (!CONVENTION_TRANSITIONS[from].includes(to)) throw new InvalidStatusTransitionError('Convention', from, to);
}

/** The status a signature leads to, from an agreement's current status and phase. */
export function signedStatus(status: ConventionStatus, phase: Phase): ConventionStatus {
  if (status === 'RECONVENTIONNEMENT_INITIE') return 'RECONVENTIONNEMENT_VALIDE';
  return phase === 'PHASE_2' ? 'CONVENTIONNEMENT_VALIDE_PHASE_2' : 'CONVENTIONNEMENT_VALIDE';
}

/**
 * The DS procedure of a file: (re)conventionnement by legal category, or the coordinator-recruitment procedure
 * for an agreement that funds coordinator posts only.
 */
export function dsProcedure(
  kind: 'CONVENTIONNEMENT' | 'RECONVENTIONNEMENT',
  legalCategory: LegalCategory,
  coordinatorOnly: boolean,
): DsProcedure {
  if (kind === 'CONVENTIONNEMENT' && coordinatorOnly) return 'RECRUTEMENT_COORDINATEUR';
  return `${kind}_${legalCategory}`;
}
