import type { AbsenceResolvers } from '../types.generated.js';

export const Absence: AbsenceResolvers = {
  formation: async (absence, _args, { loaders }) => (await loaders.formation.load(absence.formation.id))!,
  justified: (absence) => absence.justification !== null,
};
