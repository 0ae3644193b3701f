/**
 * The programme's closed lists used by the conventions subgraph (docs/domain.md §1.5, §1.6, §2.4); those other
 * subgraphs record too are common/programme.ts's.
 */

/** The national networks (*grands réseaux*), the same list as recruitment's `Network`. */
import { NETWORKS } from '../../../common/demo/world.js';
import { ADD_REASONS, GIVE_BACK_REASONS, POST_REQUEST_REASONS, type PostRequestReason } from '../../../common/programme.js';
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
/** `demandesCoselec.statut` of a decided request (a pending one is recruitment's alone). */
export const AMENDMENT_STATUSES = ['VALIDEE', 'REFUSEE'] as const;
/** `demandesCoselec.motif`: recruitment's keys (its post requests are the amendments recorded here). */
export const AMENDMENT_REASONS = POST_REQUEST_REASONS;
export type AmendmentReason = PostRequestReason;
export const RETRAIT_REASONS = Object.keys(GIVE_BACK_REASONS) as readonly AmendmentReason[];
export const AJOUT_REASONS = Object.keys(ADD_REASONS) as readonly AmendmentReason[];
