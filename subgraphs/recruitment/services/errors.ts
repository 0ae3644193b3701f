import { ConflictError } from '../../../common/errors.js';
import type { Structure } from '../entities/index.js';

/** Steps only a validated structure (`VALIDATION_COSELEC`, the only active status) may take. */
export function requireValidated(structure: Structure, step: string): void {
  if (structure.status !== 'VALIDATION_COSELEC')
    throw new ConflictError(`Structure ${structure.id} is not validated (${structure.status}): it cannot ${step}.`);
}
