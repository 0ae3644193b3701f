/**
 * The programme's closed lists that more than one subgraph records (docs/domain.md §1.3, §1.4, §1.6, §2.4), declared
 * once as const tuples for the entities' check constraints and the services, and once in the SDL
 * (schema/common/programme.graphql): federation needs the same values in every subgraph.
 */

/** Funding phase (*phaseConventionnement*): PHASE_1 the initial V1 subsidy (DGCL), PHASE_2 the V2 one (DGE/DITP). */
export const PHASES = ['PHASE_1', 'PHASE_2'] as const;
export type Phase = (typeof PHASES)[number];

/** A structure's sector, as the open data shows it: PRIVATE for the private type, PUBLIC for every other. */
export const SECTORS = ['PUBLIC', 'PRIVATE'] as const;
export type Sector = (typeof SECTORS)[number];

/** Employment contracts of advisors (`typeDeContrat`): permanent, fixed-term, subsidised (PEC), public project. */
export const CONTRACT_TYPES = ['CDI', 'CDD', 'PEC', 'CONTRAT_DE_PROJET'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

/** A département prefecture's opinion (`avisPrefet`, `prefet.avis`) on an application or a request. */
export const PREFECT_OPINIONS = ['POSITIF', 'NEGATIF'] as const;
export type PrefectOpinion = (typeof PREFECT_OPINIONS)[number];

/** The 12 statuses of a mise en relation (docs/domain.md §1.3), in SCREAMING_CASE: recruitment owns them, its contract events carry them. */
export const MISE_EN_RELATION_STATUSES = [
  'NOUVELLE',
  'INTERESSEE',
  'NON_INTERESSEE',
  'RECRUTEE',
  'FINALISEE',
  'NOUVELLE_RUPTURE',
  'FINALISEE_RUPTURE',
  'RENOUVELLEMENT_INITIEE',
  'TERMINEE',
  'TERMINEE_NATURELLE',
  'FINALISEE_NON_DISPONIBLE',
  'NON_DISPONIBLE',
] as const;

/**
 * The reasons of a post request (`demandesCoselec.motif`, recruitment's), with the dashboard's own wording: the first
 * five hand posts back, the last four ask for posts. Conventions' amendments, recorded from recruitment's decisions,
 * keep the same keys.
 */
export const GIVE_BACK_REASONS = {
  BESOIN_NON_JUSTIFIE: "Le besoin n'est pas ou plus justifié",
  DIFFICULTES_RECRUTEMENT: 'Ma structure rencontre des difficultés de recrutement',
  CAPACITES_FINANCIERES: "Ma structure n'a pas ou plus les capacités financières nécessaires",
  MANQUE_DE_VISIBILITE: 'Je ne sais pas encore si je souhaite me reconventionner car je manque de visibilité sur les prochains mois',
  FIN_DE_SUBVENTIONNEMENT: 'Fin de subventionnement',
} as const;
export const ADD_REASONS = {
  RENFORCER_EQUIPE: "Ma structure souhaite renforcer l'équipe",
  DEVELOPPER_OFFRE: "Je souhaite développer l'offre de service Conseillers Numériques",
  FORTE_DEMANDE: 'Je rencontre une forte demande sur mon territoire',
  AUTRE: 'Autre',
} as const;
export const POST_REQUEST_REASONS = [...Object.keys(GIVE_BACK_REASONS), ...Object.keys(ADD_REASONS)] as (
  keyof typeof GIVE_BACK_REASONS | keyof typeof ADD_REASONS
)[];
export type PostRequestReason = (typeof POST_REQUEST_REASONS)[number];
