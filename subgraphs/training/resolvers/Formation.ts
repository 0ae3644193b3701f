import { parseId } from '../../../common/ids.js';
import { reference } from '../../../common/references.js';
import { certificationDeadline, contractFor, positioningLevel } from '../services/training.rules.js';
import type { FormationResolvers } from '../types.generated.js';

export const Formation: FormationResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.formation.load(parseId(ref.id)),
  conseiller: (formation) => reference('Conseiller', formation.conseillerId),
  contract: (formation) => contractFor(formation.startDate),
  positioningLevel: (formation) => (contractFor(formation.startDate) === 'CONTRACT_2024' ? positioningLevel(formation.hours) : null),
  session: (formation, _args, { loaders }) => (formation.session ? loaders.session.load(formation.session.id) : null),
  absences: (formation, _args, { loaders }) => loaders.absencesByFormation.load(formation.id),
  unjustifiedAbsenceHours: async (formation, _args, { loaders }) =>
    (await loaders.absencesByFormation.load(formation.id)).filter((a) => !a.justification).reduce((sum, a) => sum + a.hours, 0),
  certificationDeadline: (formation) => (formation.status === 'COMPLETED' ? certificationDeadline(formation.endDate) : null),
};
