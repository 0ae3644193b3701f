import { parseId } from '../../../common/ids.js';
import { reference } from '../../../common/references.js';
import { certificationDeadline, contractFor, positioningLevel } from '../rules/training.js';
import type { TrainingPathResolvers } from '../types.generated.js';

export const TrainingPath: TrainingPathResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.trainingPath.load(parseId(ref.id)),
  conseiller: (path) => reference('Conseiller', path.conseillerId),
  contract: (path) => contractFor(path.startDate),
  positioningLevel: (path) => (contractFor(path.startDate) === 'CONTRACT_2024' ? positioningLevel(path.hours) : null),
  session: (path, _args, { loaders }) => (path.session ? loaders.session.load(path.session.id) : null),
  absences: (path, _args, { loaders }) => loaders.absencesByPath.load(path.id),
  unjustifiedAbsenceHours: async (path, _args, { loaders }) =>
    (await loaders.absencesByPath.load(path.id)).filter((a) => !a.justification).reduce((sum, a) => sum + a.hours, 0),
  certificationDeadline: (path) => (path.status === 'COMPLETED' ? certificationDeadline(path.endDate) : null),
};
