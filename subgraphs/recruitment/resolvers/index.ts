import type { Resolvers } from '../types.generated.js';
import { CoordinatorRequest, PostRequest, PostTransfer, StructurePrefectOpinion } from './Application.js';
import { Conseiller } from './Conseiller.js';
import { ContractExtension, MiseEnRelation, MiseEnRelationEvent } from './MiseEnRelation.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Structure } from './Structure.js';
import { Departement, Region } from './Territory.js';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Structure,
  Conseiller,
  MiseEnRelation,
  ContractExtension,
  MiseEnRelationEvent,
  StructurePrefectOpinion,
  PostRequest,
  CoordinatorRequest,
  PostTransfer,
  Departement,
  Region,
};
