import { z } from 'zod';
import { defineEvent } from './event.js';

/**
 * Every domain event the subgraphs exchange (docs/domain.md §5 for the contract's life), declared once: producers
 * emit them from their write steps (common/steps.ts `emit`), consumers register handlers for them (inbox.ts).
 */

const id = z.number().int().positive();
const isoDate = z.iso.date();

/**
 * Recruitment validated the early end of a contract: the advisor left the structure on `ruptureDate`. Conventions
 * frees the funded post that advisor held.
 */
export const ruptureValidated = defineEvent({
  type: 'recruitment.rupture-validated',
  producer: 'recruitment',
  version: 1,
  payload: z.object({ miseEnRelationId: id, conseillerId: id, structureId: id, ruptureDate: isoDate }),
});

export const EVENTS = [ruptureValidated] as const;
