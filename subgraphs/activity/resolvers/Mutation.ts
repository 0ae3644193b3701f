import { parseId } from '../../../common/ids.js';
import { deleteCra, fileCra, fileCras, updateCra } from '../services/cra.service.js';
import { createPlace, updatePlace } from '../services/place.service.js';
import type { MutationResolvers } from '../types.generated.js';

export const Mutation: MutationResolvers = {
  fileCra: async (_parent, { input }, { em, viewer }) => ({ cra: await fileCra(em, viewer, { cra: input }) }),
  fileCras: async (_parent, { input }, { em, viewer }) => ({ cras: await fileCras(em, viewer, { cras: input.cras }) }),
  updateCra: async (_parent, { input }, { em, viewer }) => ({
    cra: await updateCra(em, viewer, { id: parseId(input.id, 'input.id'), cra: input.cra }),
  }),
  deleteCra: async (_parent, { input }, { em, viewer }) => ({
    id: String(await deleteCra(em, viewer, { id: parseId(input.id, 'input.id') })),
  }),
  createPlace: async (_parent, { input }, { em, viewer }) => ({ place: await createPlace(em, viewer, { place: input }) }),
  updatePlace: async (_parent, { input }, { em, viewer }) => ({
    place: await updatePlace(em, viewer, { id: parseId(input.id, 'input.id'), place: input.place }),
  }),
};
