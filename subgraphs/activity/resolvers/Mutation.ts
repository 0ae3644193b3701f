import { parseId } from '../../../common/ids.js';
import { deleteCra, fileCra, fileCras, updateCra } from '../services/cra.service.js';
import { createPlace, updatePlace } from '../services/place.service.js';
import type { MutationResolvers } from '../types.generated.js';

export const Mutation: MutationResolvers = {
  fileCra: async (_parent, { input }, { em, viewer }) => ({ cra: await fileCra(em, input, viewer) }),
  fileCras: async (_parent, { inputs }, { em, viewer }) => ({ cras: await fileCras(em, inputs, viewer) }),
  updateCra: async (_parent, { id, input }, { em, viewer }) => ({ cra: await updateCra(em, parseId(id), input, viewer) }),
  deleteCra: async (_parent, { id }, { em, viewer }) => ({ id: String(await deleteCra(em, parseId(id), viewer)) }),
  createPlace: async (_parent, { input }, { em, viewer }) => ({ place: await createPlace(em, input, viewer) }),
  updatePlace: async (_parent, { id, input }, { em, viewer }) => ({ place: await updatePlace(em, parseId(id), input, viewer) }),
};
