import type { AbsenceResolvers } from '../types.generated.js';

export const Absence: AbsenceResolvers = {
  trainingPath: async (absence, _args, { loaders }) => (await loaders.trainingPath.load(absence.trainingPath.id))!,
  justified: (absence) => absence.justification !== null,
};
