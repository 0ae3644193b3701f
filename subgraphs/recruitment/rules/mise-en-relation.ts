import { InvalidStatusTransitionError } from '../../../common/errors.js';
import type { Conseiller } from '../entities/index.js';
import type { MiseEnRelationStatus } from '../entities/vocabulary.js';

/**
 * The mise en relation state machine (docs/domain.md §2.2, §2.3, §2.5): the only moves allowed from each status.
 * Anything else is an INVALID_STATUS_TRANSITION error.
 */
export const MISE_EN_RELATION_TRANSITIONS: Record<MiseEnRelationStatus, readonly MiseEnRelationStatus[]> = {
  NOUVELLE: ['INTERESSEE', 'NON_INTERESSEE', 'NON_DISPONIBLE', 'FINALISEE_NON_DISPONIBLE'],
  INTERESSEE: ['RECRUTEE', 'NON_INTERESSEE', 'NOUVELLE', 'NON_DISPONIBLE', 'FINALISEE_NON_DISPONIBLE'],
  NON_INTERESSEE: ['NOUVELLE', 'NON_DISPONIBLE', 'FINALISEE_NON_DISPONIBLE'],
  // Validated by an administrator, or cancelled back to a preselection.
  RECRUTEE: ['FINALISEE', 'INTERESSEE'],
  // Rupture declared, end date reached, or closed by its validated renewal.
  FINALISEE: ['NOUVELLE_RUPTURE', 'TERMINEE_NATURELLE', 'TERMINEE'],
  // Validated, or withdrawn by the structure.
  NOUVELLE_RUPTURE: ['FINALISEE_RUPTURE', 'FINALISEE'],
  RENOUVELLEMENT_INITIEE: ['FINALISEE'],
  FINALISEE_RUPTURE: [],
  TERMINEE: [],
  TERMINEE_NATURELLE: [],
  FINALISEE_NON_DISPONIBLE: [],
  NON_DISPONIBLE: [],
};

/** Refuses a move the machine does not allow. */
export function requireTransition(from: MiseEnRelationStatus, to: MiseEnRelationStatus): void {
  if (!MISE_EN_RELATION_TRANSITIONS[from].includes(to)) throw new InvalidStatusTransitionError('MiseEnRelation', from, to);
}

/** A person whose contract ends (rupture validated, or natural end): out of post, available again, no coordination. */
export function leavePost(conseiller: Conseiller, status: 'RUPTURE' | 'TERMINE'): void {
  conseiller.status = status;
  conseiller.structure = null;
  conseiller.isAvailable = true;
  conseiller.isCoordinator = false;
  conseiller.coordinationScope = null;
  conseiller.coordinatedItems = null;
}
