import type { ContractLotResolvers, TrainingBodyResolvers } from '../types.generated.js';

export const TrainingBody: TrainingBodyResolvers = {
  lots: (body, _args, { loaders }) => loaders.lotsByHolder.load(body.id),
};

export const ContractLot: ContractLotResolvers = {
  holder: async (lot, _args, { loaders }) => (await loaders.trainingBody.load(lot.holder.id))!,
};
