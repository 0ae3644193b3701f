/**
 * The programme's closed lists used by the conventions subgraph (docs/domain.md §1.5, §1.6, §2.4); those other
 * subgraphs record too are common/programme.ts's.
 */

/** The national networks (*grands réseaux*), the same list as recruitment's `Network`. */
import { NETWORKS } from '../../../common/demo/world.js';
export { NETWORKS };
export type Network = (typeof NETWORKS)[number];
export {
  CONTRACT_TYPES,
  PHASES,
  PREFECT_OPINIONS,
  SECTORS,
  type ContractType,
  type Phase,
  type PrefectOpinion,
  type Sector,
} from '../../../common/programme.js';

/** `conventionnement.statut` (accents dropped from the legacy values NON_INTERESSÉ, …_VALIDÉ). */
export const CONVENTION_STATUSES = [
  'NON_INTERESSE',
  'CONVENTIONNEMENT_EN_COURS',
  'CONVENTIONNEMENT_VALIDE',
  'CONVENTIONNEMENT_VALIDE_PHASE_2',
  'RECONVENTIONNEMENT_INITIE',
  'RECONVENTIONNEMENT_VALIDE',
] as const;
export type ConventionStatus = (typeof CONVENTION_STATUSES)[number];

/** Legal category used to pick the Démarches Simplifiées procedure. */
export const LEGAL_CATEGORIES = ['STRUCTURE_PUBLIQUE', 'ASSOCIATION', 'ENTREPRISE'] as const;
export type LegalCategory = (typeof LEGAL_CATEGORIES)[number];

/** The 7 Démarches Simplifiées procedures. */
export const DS_PROCEDURES = [
  'CONVENTIONNEMENT_STRUCTURE_PUBLIQUE',
  'CONVENTIONNEMENT_ASSOCIATION',
  'CONVENTIONNEMENT_ENTREPRISE',
  'RECONVENTIONNEMENT_STRUCTURE_PUBLIQUE',
  'RECONVENTIONNEMENT_ASSOCIATION',
  'RECONVENTIONNEMENT_ENTREPRISE',
  'RECRUTEMENT_COORDINATEUR',
] as const;
export type DsProcedure = (typeof DS_PROCEDURES)[number];

/** Démarches Simplifiées file states, as the DS API spells them. */
export const DS_STATES = ['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'] as const;
export type DsState = (typeof DS_STATES)[number];

export const TERMINATION_KINDS = ['NATURAL_END', 'EARLY_EXIT'] as const;
export type TerminationKind = (typeof TERMINATION_KINDS)[number];

/** `poste.typologie` (the warehouse's conum | coordo). */
export const POST_TYPOLOGIES = ['CONSEILLER', 'COORDINATEUR'] as const;
/** `poste.etat`. */
export const POST_STATES = ['OCCUPE', 'VACANT', 'RENDU'] as const;
export type PostState = (typeof POST_STATES)[number];
export const COORDINATOR_CONTRACTS = ['CDI', 'CDD'] as const;

/** Why a post left an agreement. */
export const POST_EXIT_REASONS = ['AVENANT_RETRAIT', 'TRANSFERT', 'RESILIATION', 'FIN_DE_CONVENTION'] as const;

export const CREDIT_NOTE_REASONS = ['POST_GIVEN_BACK', 'EARLY_TERMINATION'] as const;

/** `demandesCoselec.type`. */
export const AMENDMENT_TYPES = ['AJOUT', 'RETRAIT'] as const;
export type AmendmentType = (typeof AMENDMENT_TYPES)[number];
/** `demandesCoselec.statut`. */
export const AMENDMENT_STATUSES = ['EN_COURS', 'VALIDEE', 'REFUSEE'] as const;
/** `demandesCoselec.motif`: the first five for handing posts back, the last four for asking for posts. */
export const AMENDMENT_REASONS = [
  'BESOIN_NON_JUSTIFIE',
  'DIFFICULTES_RECRUTEMENT',
  'CAPACITES_FINANCIERES_INSUFFISANTES',
  'MANQUE_DE_VISIBILITE',
  'FIN_DE_SUBVENTIONNEMENT',
  'RENFORCER_EQUIPE',
  'DEVELOPPER_OFFRE',
  'FORTE_DEMANDE_TERRITOIRE',
  'AUTRE',
] as const;
export type AmendmentReason = (typeof AMENDMENT_REASONS)[number];
export const RETRAIT_REASONS: readonly AmendmentReason[] = AMENDMENT_REASONS.slice(0, 5);
export const AJOUT_REASONS: readonly AmendmentReason[] = AMENDMENT_REASONS.slice(5);
