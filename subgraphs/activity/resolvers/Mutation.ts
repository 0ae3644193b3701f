import { parseId } from '../../common/ids.js';
import { deleteCra, fileCra, fileCras, updateCra } from '../services/cra.service.js';
import { createPlace, updatePlace } from '../services/place.service.js';
import type { Viewer } from '../../common/viewer.js';
import type { MutationResolvers } from '../types.generated.js';

const actor = (viewer: Viewer) => ({ id: viewer.id, role: viewer.role });

export const Mutation: MutationResolvers = {
  fileCra: async (_parent, { input }, { em, viewer }) => ({ cra: await fileCra(em, input, actor(viewer)) }),
  fileCras: async (_parent, { inputs }, { em, viewer }) => ({ cras: await fileCras(em, inputs, actor(viewer)) }),
  updateCra: async (_parent, { id, input }, { em, viewer }) => ({ cra: await updateCra(em, parseId(id), input, actor(viewer)) }),
  deleteCra: async (_parent, { id }, { em, viewer }) => ({ id: String(await deleteCra(em, parseId(id), actor(viewer))) }),
  createPlace: async (_parent, { input }, { em }) => ({ place: await createPlace(em, input) }),
  updatePlace: async (_parent, { id, input }, { em }) => ({ place: await updatePlace(em, parseId(id), input) }),
};
