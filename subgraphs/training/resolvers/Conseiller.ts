import { parseId } from '../../../common/ids.js';
import { advisorState } from '../rules/advisor-state.js';
import { today } from '../../../common/calendar.js';
import type { ConseillerResolvers } from '../types.generated.js';

export const Conseiller: ConseillerResolvers = {
  // Any advisor id is accepted: a candidate simply has no training yet.
  __resolveReference: (ref) => ({ __typename: 'Conseiller', id: String(parseId(ref.id)) }),
  trainingPaths: (conseiller, _args, { loaders }) => loaders.trainingPathsByConseiller.load(parseId(conseiller.id)),
  trainingPath: async (conseiller, _args, { loaders }) =>
    advisorState(await loaders.facts.load(parseId(conseiller.id)), today()).currentPath,
  exemption: async (conseiller, _args, { loaders }) => {
    const { learner } = await loaders.facts.load(parseId(conseiller.id));
    return learner?.exemptionReason ? learner : null;
  },
  certifications: (conseiller, _args, { loaders }) => loaders.certificationsByConseiller.load(parseId(conseiller.id)),
  trainingEndDate: async (conseiller, _args, { loaders }) =>
    advisorState(await loaders.facts.load(parseId(conseiller.id)), today()).currentPath?.endDate ?? null,
  pixCertified: async (conseiller, _args, { loaders }) =>
    (await loaders.facts.load(parseId(conseiller.id))).attempts.some((a) => a.type === 'PIX' && a.result === 'PASSED'),
  certificationLevel: async (conseiller, _args, { loaders }) =>
    advisorState(await loaders.facts.load(parseId(conseiller.id)), today()).level,
  certificationProgress: async (conseiller, { asOf }, { loaders }) =>
    advisorState(await loaders.facts.load(parseId(conseiller.id)), asOf ?? today()).certification,
  moduleRegistrations: (conseiller, _args, { loaders }) => loaders.registrationsByConseiller.load(parseId(conseiller.id)),
  continuingEducation: async (conseiller, { asOf }, { loaders }) =>
    advisorState(await loaders.facts.load(parseId(conseiller.id)), asOf ?? today()).continuingEducation,
};
