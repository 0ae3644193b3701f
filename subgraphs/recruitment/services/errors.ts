import { AppError, ErrorCode } from '../../common/errors.js';
import type { Structure } from '../entities/index.js';

/** The request is valid but the current state forbids it (already decided, already pending…). */
export class ConflictError extends AppError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(ErrorCode.CONFLICT, message, extensions);
  }
}

/** One more contract, or one post fewer, would break the rule: contracts holding a post ≤ quota. */
export class QuotaExceededError extends AppError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(ErrorCode.QUOTA_EXCEEDED, message, extensions);
  }
}

/** Steps only a validated structure (`VALIDATION_COSELEC`, the only active status) may take. */
export function requireValidated(structure: Structure, step: string): void {
  if (structure.status !== 'VALIDATION_COSELEC') throw new ConflictError(`Structure ${structure.id} is not validated (${structure.status}): it cannot ${step}.`);
}
