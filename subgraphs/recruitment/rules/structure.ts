import { ConflictError, InvalidStatusTransitionError } from '../../../common/errors.js';
import type { Structure } from '../entities/index.js';
import type { StructureStatus } from '../entities/vocabulary.js';

/** The structure statuses each status may move to (docs/domain.md §1.1, §2.1, §2.4, §2.6). */
export const STRUCTURE_TRANSITIONS: Record<StructureStatus, readonly StructureStatus[]> = {
  CREEE: ['EXAMEN_COMPLEMENTAIRE_COSELEC', 'VALIDATION_COSELEC', 'REFUS_COSELEC', 'DOUBLON', 'ABANDON', 'REFUS_COORDINATEUR'],
  EXAMEN_COMPLEMENTAIRE_COSELEC: ['EXAMEN_COMPLEMENTAIRE_COSELEC', 'VALIDATION_COSELEC', 'REFUS_COSELEC', 'DOUBLON', 'ABANDON'],
  // A new decision keeps it validated; quota 0 cancels it (admin) or ends it (all posts handed back).
  VALIDATION_COSELEC: ['VALIDATION_COSELEC', 'ANNULEE', 'ABANDON'],
  // An administrator may grant posts again to a cancelled structure.
  ANNULEE: ['VALIDATION_COSELEC'],
  REFUS_COSELEC: [],
  ABANDON: [],
  DOUBLON: [],
  REFUS_COORDINATEUR: [],
};

export function moveStructure(structure: Structure, to: StructureStatus): void {
  if (!STRUCTURE_TRANSITIONS[structure.status].includes(to)) throw new InvalidStatusTransitionError('Structure', structure.status, to);
  if (to === 'VALIDATION_COSELEC' && !structure.validatedAt) structure.validatedAt = new Date();
  structure.status = to;
}

/** Steps only a validated structure (`VALIDATION_COSELEC`, the only active status) may take. */
export function requireValidated(structure: Structure, step: string): void {
  if (structure.status !== 'VALIDATION_COSELEC')
    throw new ConflictError(`Structure ${structure.id} is not validated (${structure.status}): it cannot ${step}.`);
}
