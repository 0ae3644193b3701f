/**
 * The recruitment vocabulary: every closed list of the programme (docs/domain.md §1.1–1.4), as const tuples shared by
 * the entities (check constraints), the services (rules) and the SDL enums of the same names. The lists the demo
 * world also draws from (statuses, types, networks) are defined there, once, and re-exported here; the lists other
 * subgraphs record too (phases, contract types, prefect opinions) are common/programme.ts's.
 */
import { NETWORKS, PERSON_STATUSES, STRUCTURE_STATUSES, STRUCTURE_TYPES } from '../../../common/demo/world.js';

export { NETWORKS, STRUCTURE_STATUSES, STRUCTURE_TYPES };
export { CONTRACT_TYPES, MISE_EN_RELATION_STATUSES, PHASES, type ContractType, type Phase } from '../../../common/programme.js';
import type { MISE_EN_RELATION_STATUSES } from '../../../common/programme.js';
export const CONSEILLER_STATUSES = PERSON_STATUSES;
export type StructureType = (typeof STRUCTURE_TYPES)[number];
export type StructureStatus = (typeof STRUCTURE_STATUSES)[number];
export type ConseillerStatus = (typeof CONSEILLER_STATUSES)[number];

/** `qpvStatut`: "Sans objet" when the structure's area is wider than one commune. */
export const QPV_STATUSES = ['OUI', 'NON', 'SANS_OBJET'] as const;
export type QpvStatus = (typeof QPV_STATUSES)[number];

export type Network = (typeof NETWORKS)[number];

/** `coordinateurTypeContrat`: part time / full time. */
export const COORDINATOR_CONTRACT_TYPES = ['PT', 'FT'] as const;

/** `avisCoselec`; EXAMEN_COMPLEMENTAIRE postpones the decision. */
export const COSELEC_OPINIONS = ['POSITIF', 'NEGATIF', 'EXAMEN_COMPLEMENTAIRE'] as const;
export type CoselecOpinion = (typeof COSELEC_OPINIONS)[number];
/** `coselec[].type`: absent (advisor posts), "coordinateur", "coordinateur-rendu". */
export const COSELEC_TYPES = ['CONSEILLER', 'COORDINATEUR', 'COORDINATEUR_RENDU'] as const;
export type CoselecType = (typeof COSELEC_TYPES)[number];

/** Prefecture opinions (`avisPrefet`), on applications, post requests and coordinator requests. */
export { PREFECT_OPINIONS as OPINIONS, type PrefectOpinion as Opinion } from '../../../common/programme.js';

/** `demandesCoselec`: avenants to add posts (ajout) or hand them back (retrait). */
export const POST_REQUEST_TYPES = ['AJOUT', 'RETRAIT'] as const;
export const REQUEST_STATUSES = ['EN_COURS', 'VALIDEE', 'REFUSEE'] as const;

/** The reasons of a post request, with the dashboard's own wording: conventions records them too (its amendments). */
export { ADD_REASONS, GIVE_BACK_REASONS, POST_REQUEST_REASONS, type PostRequestReason } from '../../../common/programme.js';

export type MiseEnRelationStatus = (typeof MISE_EN_RELATION_STATUSES)[number];

/** The statuses that hold one of the structure's posts: their count never exceeds the quota. */
export const POST_HOLDING_STATUSES = ['RECRUTEE', 'FINALISEE', 'NOUVELLE_RUPTURE'] as const satisfies readonly MiseEnRelationStatus[];
/** Matches still open on the candidate side: closed when the candidate becomes unavailable. */
export const OPEN_MATCH_STATUSES = ['NOUVELLE', 'INTERESSEE', 'NON_INTERESSEE'] as const satisfies readonly MiseEnRelationStatus[];

export const MISE_EN_RELATION_ORIGINS = ['MATCHING', 'MANUEL'] as const;

export const RUPTURE_REASONS = ['LICENCIEMENT', 'NON_RECONDUCTION_CDD', 'DEMISSION', 'CDISATION', 'FIN_DE_SUBVENTIONNEMENT'] as const;
export type RuptureReason = (typeof RUPTURE_REASONS)[number];

export const EXTENSION_STATUSES = ['INITIEE', 'VALIDEE'] as const;

/** `distanceMax`: the only distances a candidate may choose, in km. */
export const MAX_DISTANCES_KM = [5, 10, 15, 20, 40, 100, 2000] as const;

/** `listeSubordonnes.type`: what a coordinator's list holds. */
export const COORDINATION_SCOPES = ['CONSEILLERS', 'COMMUNES', 'DEPARTEMENTS', 'REGIONS'] as const;
export type CoordinationScope = (typeof COORDINATION_SCOPES)[number];

export const SEXES = ['FEMME', 'HOMME'] as const;

/** Why a candidate was deleted (legacy `conseillersSupprimes.motif`: "doublon" | "demande RGPD"). */
export const DELETION_REASONS = ['DOUBLON', 'DEMANDE_RGPD'] as const;
