import { CoordinatorRequest, CoselecDecision, PostRequest, PostTransfer, PrefectOpinion } from './application.entity.js';
import { Conseiller, ConseillerDeletion, ConseillerPersonalData } from './conseiller.entity.js';
import { ContractExtension, MiseEnRelation, MiseEnRelationEvent } from './mise-en-relation.entity.js';
import { Structure } from './structure.entity.js';

export {
  Structure,
  Conseiller,
  ConseillerPersonalData,
  ConseillerDeletion,
  MiseEnRelation,
  MiseEnRelationEvent,
  ContractExtension,
  CoselecDecision,
  PrefectOpinion,
  PostRequest,
  PostTransfer,
  CoordinatorRequest,
};
export const entities = [
  Structure,
  Conseiller,
  ConseillerPersonalData,
  ConseillerDeletion,
  MiseEnRelation,
  MiseEnRelationEvent,
  ContractExtension,
  CoselecDecision,
  PrefectOpinion,
  PostRequest,
  PostTransfer,
  CoordinatorRequest,
];
