import { parseId } from '../../common/ids.js';
import { deleteCra, fileCra, fileCras, updateCra } from '../services/cra.service.js';
import { createPlace, updatePlace } from '../services/place.service.js';
import type { MutationResolvers } from '../types.generated.js';

export const Mutation: MutationResolvers = {
  fileCra: async (_parent, { input }, { em }) => ({ cra: await fileCra(em, input) }),
  fileCras: async (_parent, { inputs }, { em }) => ({ cras: await fileCras(em, inputs) }),
  updateCra: async (_parent, { id, input }, { em }) => ({ cra: await updateCra(em, parseId(id), input) }),
  deleteCra: async (_parent, { id }, { em }) => ({ id: String(await deleteCra(em, parseId(id))) }),
  createPlace: async (_parent, { input }, { em }) => ({ place: await createPlace(em, input) }),
  updatePlace: async (_parent, { id, input }, { em }) => ({ place: await updatePlace(em, parseId(id), input) }),
};
