import { parseId } from '../../../common/ids.js';
import { reference } from '../../../common/references.js';
import type { ConventionResolvers } from '../types.generated.js';

const sumCents = (rows: readonly { amountCents: number }[]) => rows.reduce((total, row) => total + row.amountCents, 0);

export const Convention: ConventionResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.convention.load(parseId(ref.id)),
  structure: (convention) => reference('Structure', convention.structureId),
  paidCents: async (convention, _args, { loaders }) =>
    sumCents((await loaders.tranchesByConvention.load(convention.id)).filter((t) => t.paidOn)),
  creditNotesCents: async (convention, _args, { loaders }) => sumCents(await loaders.creditNotesByConvention.load(convention.id)),
  remainingOwedCents: async (convention, _args, { loaders }) => {
    const [tranches, creditNotes] = await Promise.all([
      loaders.tranchesByConvention.load(convention.id),
      loaders.creditNotesByConvention.load(convention.id),
    ]);
    return convention.amountCents - (sumCents(tranches.filter((t) => t.paidOn)) - sumCents(creditNotes));
  },
  dsFile: (c) =>
    c.dsNumber && c.dsProcedure && c.dsState && c.dsCreatedAt
      ? {
          number: c.dsNumber,
          procedure: c.dsProcedure,
          state: c.dsState,
          createdAt: c.dsCreatedAt,
          instructionStartedAt: c.dsInstructionStartedAt ?? null,
          processedAt: c.dsProcessedAt ?? null,
          updatedAt: c.dsUpdatedAt ?? c.dsCreatedAt,
        }
      : null,
  previousConvention: (c, _args, { loaders }) => (c.previousConventionId ? loaders.convention.load(c.previousConventionId) : null),
  posts: (c, _args, { loaders }) => loaders.postsByConvention.load(c.id),
  tranches: (c, _args, { loaders }) => loaders.tranchesByConvention.load(c.id),
  creditNotes: (c, _args, { loaders }) => loaders.creditNotesByConvention.load(c.id),
  amendments: (c, _args, { loaders }) => loaders.amendmentsByConvention.load(c.id),
};
