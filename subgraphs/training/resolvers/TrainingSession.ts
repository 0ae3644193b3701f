import type { TrainingSessionResolvers } from '../types.generated.js';

export const TrainingSession: TrainingSessionResolvers = {
  lot: async (session, _args, { loaders }) => (await loaders.lot.load(session.lot.id))!,
  trainingBody: async (session, _args, { loaders }) => {
    const lot = (await loaders.lot.load(session.lot.id))!;
    return (await loaders.trainingBody.load(lot.holder.id))!;
  },
  switchedToRemote: (session) => session.plannedModality !== session.modality,
  enrolledCount: (session, _args, { loaders }) => loaders.seatCount.load(session.id),
  remainingSeats: async (session, _args, { loaders }) => Math.max(0, session.capacity - (await loaders.seatCount.load(session.id))),
  trainingPaths: (session, _args, { loaders }) => loaders.seatedBySession.load(session.id),
};
