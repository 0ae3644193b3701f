import { ADD_REASONS, GIVE_BACK_REASONS } from '../entities/vocabulary.js';
import type {
  CoordinatorRequestResolvers,
  PostRequestResolvers,
  PostTransferResolvers,
  StructurePrefectOpinionResolvers,
} from '../types.generated.js';
import { stamp } from './shape.js';

const REASON_LABELS: Record<string, string> = { ...GIVE_BACK_REASONS, ...ADD_REASONS };

export const StructurePrefectOpinion: StructurePrefectOpinionResolvers = {
  transferFrom: (opinion, _args, { loaders }) => (opinion.transferFrom ? loaders.structure.load(opinion.transferFrom.id) : null),
};

export const PostRequest: PostRequestResolvers = {
  structure: (request, _args, { loaders }) => loaders.structure.load(request.structure.id).then((s) => s!),
  reasonLabel: (request) => REASON_LABELS[request.reason]!,
  requested: (request) => stamp(request.requestedBy, request.requestedAt)!,
  prefectStamp: (request) => stamp(request.prefectAuthor, request.prefectOpinionAt),
  transferFrom: (request, _args, { loaders }) => (request.transferFrom ? loaders.structure.load(request.transferFrom.id) : null),
  decided: (request) => stamp(request.decidedBy, request.decidedAt),
};

export const CoordinatorRequest: CoordinatorRequestResolvers = {
  structure: (request, _args, { loaders }) => loaders.structure.load(request.structure.id).then((s) => s!),
  prefectStamp: (request) => stamp(request.prefectAuthor, request.prefectOpinionAt),
  requested: (request) => stamp(request.requestedBy, request.requestedAt)!,
  decided: (request) => stamp(request.decidedBy, request.decidedAt),
};

export const PostTransfer: PostTransferResolvers = {
  fromStructure: (transfer, _args, { loaders }) => loaders.structure.load(transfer.fromStructure.id).then((s) => s!),
  toStructure: (transfer, _args, { loaders }) => loaders.structure.load(transfer.toStructure.id).then((s) => s!),
  transferred: (transfer) => stamp(transfer.actor, transfer.transferredAt)!,
};
