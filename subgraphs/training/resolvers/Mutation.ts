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
import { reference } from '../../../common/references.js';
import type { MutationResolvers } from '../types.generated.js';

/** Each step: one service call, which checks the viewer's role and reach inside its transaction. */
export const Mutation: MutationResolvers = {
  createTrainingBody: (_parent, { input }, { em, viewer }) => createTrainingBody(em, viewer, input),
  createContractLot: (_parent, { input }, { em, viewer }) => createContractLot(em, viewer, input),
  openTrainingPath: (_parent, { input }, { em, viewer }) => openTrainingPath(em, viewer, input),
  createTrainingSession: (_parent, { input }, { em, viewer }) => createSession(em, viewer, input),
  enrolInSession: (_parent, { formationId, sessionId }, { em, viewer }) => enrolInSession(em, viewer, formationId, sessionId),
  withdrawFromSession: (_parent, { formationId }, { em, viewer }) => withdrawFromSession(em, viewer, formationId),
  confirmTrainingSession: (_parent, { id }, { em, viewer }) => confirmSession(em, viewer, id),
  startTrainingPath: (_parent, { formationId, on }, { em, viewer }) => startTrainingPath(em, viewer, formationId, on),
  completeTrainingPath: (_parent, { formationId, on }, { em, viewer }) => completeTrainingPath(em, viewer, formationId, on),
  abandonTrainingPath: (_parent, { formationId, on, reason }, { em, viewer }) => abandonTrainingPath(em, viewer, formationId, on, reason),
  recordAbsence: (_parent, { input }, { em, viewer }) => recordAbsence(em, viewer, input),
  justifyAbsence: (_parent, { absenceId, justification }, { em, viewer }) => justifyAbsence(em, viewer, absenceId, justification),
  recordCertificationResult: (_parent, { input }, { em, viewer }) => recordCertificationResult(em, viewer, input),
  grantExemption: async (_parent, { input }, { em, viewer }) =>
    reference('Conseiller', (await grantExemption(em, viewer, input)).conseillerId),
  registerForModule: (_parent, { conseillerId, moduleId, date }, { em, viewer }) =>
    registerForModule(em, viewer, conseillerId, moduleId, date),
  recordModuleAttendance: (_parent, { registrationId, attended }, { em, viewer }) =>
    recordModuleAttendance(em, viewer, registrationId, attended),
};
