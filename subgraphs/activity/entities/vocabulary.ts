/**
 * The closed vocabularies of a CRA v1 (docs/domain.md §1.9), as GraphQL enum values. Each list's order is the order of
 * the matching breakdown in the statistics, and of the matching count columns in the aggregate tables.
 */

/** `activite`: individuel, collectif, ponctuel. */
export const CRA_ACTIVITY_TYPES = ['INDIVIDUEL', 'COLLECTIF', 'PONCTUEL'] as const;
/** `canal`: rattachement, autre lieu, distance, domicile. */
export const CRA_CHANNELS = ['RATTACHEMENT', 'AUTRE_LIEU', 'DISTANCE', 'DOMICILE'] as const;
/** The four duration buckets of the statistics: `0-30`, `30-60`, `60-120`, `120+` (minutes). */
export const CRA_DURATION_BUCKETS = ['MINUTES_0_30', 'MINUTES_30_60', 'MINUTES_60_120', 'MINUTES_120_PLUS'] as const;
/** `age`: moins12ans, de12a18ans, de18a35ans, de35a60ans, plus60ans. */
export const CRA_AGE_GROUPS = ['UNDER_12', 'FROM_12_TO_18', 'FROM_18_TO_35', 'FROM_35_TO_60', 'OVER_60'] as const;
/** `statut`: etudiant, sansEmploi, enEmploi, retraite, heterogene. */
export const CRA_PUBLIC_STATUSES = ['ETUDIANT', 'SANS_EMPLOI', 'EN_EMPLOI', 'RETRAITE', 'HETEROGENE'] as const;
/** `themes[]`, v1 stored values upper-cased with `_` (e.g. `traitement texte` → TRAITEMENT_TEXTE, `tpe/pme` → TPE_PME). */
export const CRA_THEMES = [
  'EQUIPEMENT_INFORMATIQUE',
  'VOCABULAIRE',
  'INTERNET',
  'SECURITE',
  'COURRIEL',
  'ECHANGER',
  'TRAITEMENT_TEXTE',
  'CONTENUS_NUMERIQUES',
  'TROUVER_EMPLOI',
  'TPE_PME',
  'ACCOMPAGNER_ENFANT',
  'DEMARCHE_EN_LIGNE',
  'FRAUDE_ET_HARCELEMENT',
  'SANTE',
  'SMARTPHONE',
  'BUDGET',
  'SCOLAIRE',
  'DIAGNOSTIC',
  'AUTRE',
] as const;
/** `sousThemes[]` and the theme each one details. */
export const CRA_SUB_THEMES = {
  ESPACE_SANTE: 'SANTE',
  FOURNITURE: 'TRAITEMENT_TEXTE',
  ORDINATEUR: 'EQUIPEMENT_INFORMATIQUE',
  TABLETTE: 'EQUIPEMENT_INFORMATIQUE',
  TELEPHONE: 'EQUIPEMENT_INFORMATIQUE',
  PARENT: 'ACCOMPAGNER_ENFANT',
  SOCIAL: 'ACCOMPAGNER_ENFANT',
  ENSEIGNANT: 'ACCOMPAGNER_ENFANT',
} as const satisfies Record<string, CraTheme>;
/** `organismes`: where people were redirected; AUTRE carries a free-text name. */
export const CRA_REDIRECTION_BODIES = [
  'ANTS',
  'ASSISTANTE_SOCIALE',
  'CAF',
  'CARSAT',
  'CCAS',
  'CEFS',
  'CIP',
  'CPAM',
  'DGFIP',
  'FRANCE_SERVICES',
  'MAIRIE',
  'MEDIATHEQUE',
  'MISSION_LOCALE',
  'POLE_EMPLOI',
  'PREFECTURE',
  'SOUS_PREFECTURE',
  'SERVICE_DE_POLICE',
  'GENDARMERIE',
  'REVENDEUR_INFORMATIQUE',
  'TIERS_LIEU_FABLAB',
  'AUTRE',
] as const;
/** `typeAcces[]` of a permanence: libre, rdv, prive. */
export const PLACE_ACCESS_TYPES = ['LIBRE', 'RDV', 'PRIVE'] as const;
/** What an audit entry records. */
export const CRA_AUDIT_ACTIONS = ['CREATED', 'UPDATED', 'DELETED'] as const;

export type CraActivityType = (typeof CRA_ACTIVITY_TYPES)[number];
export type CraChannel = (typeof CRA_CHANNELS)[number];
export type CraDurationBucket = (typeof CRA_DURATION_BUCKETS)[number];
export type CraTheme = (typeof CRA_THEMES)[number];
export type CraSubTheme = keyof typeof CRA_SUB_THEMES;
export type CraRedirectionBody = (typeof CRA_REDIRECTION_BODIES)[number];
export type PlaceAccessType = (typeof PLACE_ACCESS_TYPES)[number];

/** Per-report counts, keyed by the vocabulary above. */
export type AgeCounts = Record<(typeof CRA_AGE_GROUPS)[number], number>;
export type PublicStatusCounts = Record<(typeof CRA_PUBLIC_STATUSES)[number], number>;
/** People redirected, per body (only bodies with a count appear). */
export type RedirectionCounts = Partial<Record<CraRedirectionBody, number>>;
