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
import { reference } from '../../common/references.js';
import type { MutationResolvers } from '../types.generated.js';

export const Mutation: MutationResolvers = {
  createTrainingBody: (_parent, { input }, { em }) => createTrainingBody(em, input),
  createContractLot: (_parent, { input }, { em }) => createContractLot(em, input),
  openTrainingPath: (_parent, { input }, { em }) => openTrainingPath(em, input),
  createTrainingSession: (_parent, { input }, { em }) => createSession(em, input),
  enrolInSession: (_parent, { formationId, sessionId }, { em }) => enrolInSession(em, formationId, sessionId),
  withdrawFromSession: (_parent, { formationId }, { em }) => withdrawFromSession(em, formationId),
  confirmTrainingSession: (_parent, { id }, { em }) => confirmSession(em, id),
  startTrainingPath: (_parent, { formationId, on }, { em }) => startTrainingPath(em, formationId, on),
  completeTrainingPath: (_parent, { formationId, on }, { em }) => completeTrainingPath(em, formationId, on),
  abandonTrainingPath: (_parent, { formationId, on, reason }, { em }) => abandonTrainingPath(em, formationId, on, reason),
  recordAbsence: (_parent, { input }, { em }) => recordAbsence(em, input),
  justifyAbsence: (_parent, { absenceId, justification }, { em }) => justifyAbsence(em, absenceId, justification),
  recordCertificationResult: (_parent, { input }, { em }) => recordCertificationResult(em, input),
  grantExemption: async (_parent, { input }, { em }) => reference('Conseiller', (await grantExemption(em, input)).conseillerId),
  registerForModule: (_parent, { conseillerId, moduleId, date }, { em }) => registerForModule(em, conseillerId, moduleId, date),
  recordModuleAttendance: (_parent, { registrationId, attended }, { em }) => recordModuleAttendance(em, registrationId, attended),
};
