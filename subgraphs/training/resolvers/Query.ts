import { parseId } from '../../../common/ids.js';
import { followUp } from '../services/follow-up.service.js';
import { listModules } from '../services/module.service.js';
import { listSessions } from '../services/session.service.js';
import { listTrainingBodies } from '../services/training-body.service.js';
import { today } from '../services/territory.js';
import { PIX_SKILLS } from '../services/training.rules.js';
import type { QueryResolvers } from '../types.generated.js';

export const Query: QueryResolvers = {
  formation: (_parent, { id }, { loaders }) => loaders.formation.load(parseId(id)),
  trainingSession: (_parent, { id }, { loaders }) => loaders.session.load(parseId(id)),
  trainingSessions: (_parent, args, { em, viewer }) => listSessions(em, viewer, args),
  trainingBodies: (_parent, _args, { em }) => listTrainingBodies(em),
  pixSkills: () => [...PIX_SKILLS],
  thematicModules: (_parent, { offeredIn }, { em }) => listModules(em, offeredIn),
  trainingFollowUp: (_parent, { asOf, ...args }, { em, viewer }) => followUp(em, viewer, { ...args, asOf: asOf ?? today() }),
};
