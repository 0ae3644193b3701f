import { parseId } from '../../../common/ids.js';
import { reference } from '../../../common/references.js';
import { grantExemption, recordCertificationResult } from '../services/certification.service.js';
import { recordModuleAttendance, registerForModule } from '../services/module.service.js';
import { confirmSession, createSession } from '../services/session.service.js';
import { createContractLot, createTrainingBody } from '../services/training-body.service.js';
import {
  abandonTrainingPath,
  completeTrainingPath,
  enrolInSession,
  justifyAbsence,
  openTrainingPath,
  recordAbsence,
  startTrainingPath,
  withdrawFromSession,
} from '../services/training-path.service.js';
import type { MutationResolvers } from '../types.generated.js';

const pathId = (id: string) => parseId(id, 'trainingPathId');
const advisorId = (id: string) => parseId(id, 'conseillerId');

/** Each step: its ids parsed, then one service call, which checks the viewer's role and reach inside its transaction. */
export const Mutation: MutationResolvers = {
  createTrainingBody: async (_parent, { input }, { em, viewer }) => ({ trainingBody: await createTrainingBody(em, viewer, input) }),
  createContractLot: async (_parent, { input }, { em, viewer }) => ({
    contractLot: await createContractLot(em, viewer, { ...input, holderId: parseId(input.holderId, 'holderId') }),
  }),
  openTrainingPath: async (_parent, { input }, { em, viewer }) => ({
    trainingPath: await openTrainingPath(em, viewer, { ...input, conseillerId: advisorId(input.conseillerId) }),
  }),
  createTrainingSession: async (_parent, { input }, { em, viewer }) => ({
    trainingSession: await createSession(em, viewer, { ...input, lotId: parseId(input.lotId, 'lotId') }),
  }),
  enrolInSession: async (_parent, { input }, { em, viewer }) => ({
    trainingPath: await enrolInSession(em, viewer, {
      trainingPathId: pathId(input.trainingPathId),
      sessionId: parseId(input.sessionId, 'sessionId'),
    }),
  }),
  withdrawFromSession: async (_parent, { input }, { em, viewer }) => ({
    trainingPath: await withdrawFromSession(em, viewer, { trainingPathId: pathId(input.trainingPathId) }),
  }),
  confirmTrainingSession: async (_parent, { input }, { em, viewer }) => ({
    trainingSession: await confirmSession(em, viewer, { sessionId: parseId(input.sessionId, 'sessionId') }),
  }),
  startTrainingPath: async (_parent, { input }, { em, viewer }) => ({
    trainingPath: await startTrainingPath(em, viewer, { ...input, trainingPathId: pathId(input.trainingPathId) }),
  }),
  completeTrainingPath: async (_parent, { input }, { em, viewer }) => ({
    trainingPath: await completeTrainingPath(em, viewer, { ...input, trainingPathId: pathId(input.trainingPathId) }),
  }),
  abandonTrainingPath: async (_parent, { input }, { em, viewer }) => ({
    trainingPath: await abandonTrainingPath(em, viewer, { ...input, trainingPathId: pathId(input.trainingPathId) }),
  }),
  recordAbsence: async (_parent, { input }, { em, viewer }) => ({
    absence: await recordAbsence(em, viewer, { ...input, trainingPathId: pathId(input.trainingPathId) }),
  }),
  justifyAbsence: async (_parent, { input }, { em, viewer }) => ({
    absence: await justifyAbsence(em, viewer, { ...input, absenceId: parseId(input.absenceId, 'absenceId') }),
  }),
  recordCertificationResult: async (_parent, { input }, { em, viewer }) => ({
    certificationAttempt: await recordCertificationResult(em, viewer, { ...input, conseillerId: advisorId(input.conseillerId) }),
  }),
  grantExemption: async (_parent, { input }, { em, viewer }) => {
    const learner = await grantExemption(em, viewer, { ...input, conseillerId: advisorId(input.conseillerId) });
    return { conseiller: reference('Conseiller', learner.conseillerId) };
  },
  registerForModule: async (_parent, { input }, { em, viewer }) => ({
    moduleRegistration: await registerForModule(em, viewer, {
      ...input,
      conseillerId: advisorId(input.conseillerId),
      moduleId: parseId(input.moduleId, 'moduleId'),
    }),
  }),
  recordModuleAttendance: async (_parent, { input }, { em, viewer }) => ({
    moduleRegistration: await recordModuleAttendance(em, viewer, {
      ...input,
      registrationId: parseId(input.registrationId, 'registrationId'),
    }),
  }),
};
