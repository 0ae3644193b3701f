import { parseId } from '../../../common/ids.js';
import { reference } from '../../../common/references.js';
import type { CraRedirectionBody } from '../entities/index.js';
import type { CraResolvers } from '../types.generated.js';

export const Cra: CraResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.cra.load(parseId(ref.id)),
  conseiller: (cra) => reference('Conseiller', cra.conseillerId),
  structure: (cra) => reference('Structure', cra.structureId),
  place: (cra, _args, { loaders }) => (cra.place ? loaders.place.load(cra.place.id) : null),
  ages: (cra) => ({
    under12: cra.ageUnder12,
    from12To18: cra.ageFrom12To18,
    from18To35: cra.ageFrom18To35,
    from35To60: cra.ageFrom35To60,
    over60: cra.ageOver60,
  }),
  statuses: (cra) => ({
    etudiant: cra.statusEtudiant,
    sansEmploi: cra.statusSansEmploi,
    enEmploi: cra.statusEnEmploi,
    retraite: cra.statusRetraite,
    heterogene: cra.statusHeterogene,
  }),
  followUps: (cra) => ({ individual: cra.followupIndividual, workshop: cra.followupWorkshop, redirected: cra.followupRedirected }),
  redirections: (cra) =>
    Object.entries(cra.redirections).map(([body, count]) => ({
      body: body as CraRedirectionBody,
      count: count!,
      otherName: body === 'AUTRE' ? cra.redirectionOtherName : null,
    })),
  history: (cra, _args, { loaders }) => loaders.history.load(cra.id),
};
