import type { Resolvers } from '../types.generated.js';
import { Absence } from './Absence.js';
import { CertificationAttempt, Exemption } from './Certification.js';
import { Conseiller } from './Conseiller.js';
import { TrainingPath } from './TrainingPath.js';
import { ModuleRegistration } from './ModuleRegistration.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Departement, Region, Structure } from './Territory.js';
import { ContractLot, TrainingBody } from './TrainingBody.js';
import { TrainingSession } from './TrainingSession.js';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  TrainingPath,
  Absence,
  TrainingSession,
  TrainingBody,
  ContractLot,
  CertificationAttempt,
  Exemption,
  ModuleRegistration,
  Conseiller,
  Departement,
  Region,
  Structure,
};
