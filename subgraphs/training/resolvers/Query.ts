import { parseId } from '../../../common/ids.js';
import { followUp } from '../services/follow-up.service.js';
import { listModules } from '../services/module.service.js';
import { listSessions } from '../services/session.service.js';
import { listTrainingBodies } from '../services/training-body.service.js';
import { today } from '../../../common/calendar.js';
import { PIX_SKILLS } from '../rules/training.js';
import type { QueryResolvers } from '../types.generated.js';

export const Query: QueryResolvers = {
  trainingPath: (_parent, { id }, { loaders }) => loaders.trainingPath.load(parseId(id)),
  trainingSession: (_parent, { id }, { loaders }) => loaders.session.load(parseId(id)),
  trainingSessions: (_parent, { filter, ...args }, { em, viewer }) =>
    listSessions(em, viewer, { ...args, filter: filter && { ...filter, lotId: filter.lotId ? parseId(filter.lotId, 'lotId') : null } }),
  trainingBodies: (_parent, _args, { em }) => listTrainingBodies(em),
  pixSkills: () => [...PIX_SKILLS],
  thematicModules: (_parent, { offeredIn }, { em }) => listModules(em, offeredIn),
  trainingFollowUp: (_parent, { asOf, filter, ...args }, { em, viewer }) =>
    followUp(em, viewer, {
      ...args,
      filter: { ...filter, structureId: filter.structureId ? parseId(filter.structureId, 'structureId') : null },
      asOf: asOf ?? today(),
    }),
};
