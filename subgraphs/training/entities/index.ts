import { COPY_ENTITIES } from '../../../common/events/copies.js';
import { CertificationAttempt } from './certification.entity.js';
import { Absence, TrainingPath } from './training-path.entity.js';
import { Learner } from './learner.entity.js';
import { ModuleRegistration, ThematicModule } from './thematic-module.entity.js';
import { ContractLot, TrainingBody } from './training-body.entity.js';
import { TrainingSession } from './training-session.entity.js';

export {
  Absence,
  CertificationAttempt,
  ContractLot,
  TrainingPath,
  Learner,
  ModuleRegistration,
  ThematicModule,
  TrainingBody,
  TrainingSession,
};
/** Its own entities, and the copies it keeps of recruitment's structures and contracts (common/events/copies.ts). */
export const entities = [
  ...COPY_ENTITIES,
  TrainingBody,
  ContractLot,
  TrainingSession,
  TrainingPath,
  Absence,
  Learner,
  CertificationAttempt,
  ThematicModule,
  ModuleRegistration,
];
