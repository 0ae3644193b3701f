import { reference } from '../../../common/references.js';
import type { ModuleRegistrationResolvers } from '../types.generated.js';

export const ModuleRegistration: ModuleRegistrationResolvers = {
  conseiller: (registration) => reference('Conseiller', registration.conseillerId),
  module: async (registration, _args, { loaders }) => (await loaders.module.load(registration.module.id))!,
};
