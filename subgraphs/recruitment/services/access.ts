import type { FilterQuery } from '@mikro-orm/core';
import { isRestricted, rowFilter } from '../../../common/authz.js';
export { withFilter } from '../../../common/authz.js';
import { defineWriteSteps, type Step } from '../../../common/steps.js';
import { hasScopes, type Role, type Scope, type Viewer } from '../../../common/viewer.js';
import type { Conseiller, ConseillerPersonalData, MiseEnRelation, Structure } from '../entities/index.js';

/**
 * Who sees and who changes what in recruitment (docs/domain.md §5). Everything is located through the structure:
 * its département, région, own id and grand réseau. A mise en relation is visible with its structure (or to the
 * advisor it concerns); a person is visible when the viewer is that person, employs them, has matched them, or —
 * for a structure — when they are in the candidate pool. Every filter is a WHERE condition (joins and `exists`
 * subqueries), so it adds no statement. A viewer without the type's read scope sees no row, even if a request
 * bypassed the gateway's `@access` check (defence in depth).
 */

/** The false condition: no row. */
const NOTHING = { id: { $in: [] } };

/** Structures located by their own columns: territory, own id (structure role), grand réseau. */
function structureGrants(viewer: Viewer): FilterQuery<Structure> {
  return rowFilter<Structure>(viewer, { departement: 'departementCode', region: 'regionCode', structure: 'id', network: 'network' })!;
}

function gate<T extends object>(viewer: Viewer, scope: Scope, restricted: () => FilterQuery<T>): FilterQuery<T> | undefined {
  if (!hasScopes(viewer, [scope])) return NOTHING as FilterQuery<T>;
  return isRestricted(viewer) ? restricted() : undefined;
}

/**
 * Structures: located ones, plus, for the viewer's advisors (conseiller, coordinator of ids), their employer and
 * the structures they were matched with (so their own mises en relation always show their structure).
 */
export function visibleStructures(viewer: Viewer): FilterQuery<Structure> | undefined {
  return gate<Structure>(viewer, 'structures:read', () => {
    const advisors = viewer.conseillerIds;
    if (!advisors?.length) return structureGrants(viewer);
    return {
      $or: [
        structureGrants(viewer),
        { conseillers: { $some: { id: { $in: advisors } } } },
        { misesEnRelation: { $some: { conseiller: { $in: advisors } } } },
      ],
    } as FilterQuery<Structure>;
  });
}

/**
 * People: the viewer's advisors, those employed by or matched with a located structure, and, for a structure, the
 * available candidates of the pool (it recruits among them).
 */
export function visibleConseillers(viewer: Viewer): FilterQuery<Conseiller> | undefined {
  return gate<Conseiller>(viewer, 'recruitment:read', () => {
    const located = structureGrants(viewer);
    const grants: FilterQuery<Conseiller>[] = [
      { structure: located },
      { misesEnRelation: { $some: { structure: located } } },
    ] as FilterQuery<Conseiller>[];
    if (viewer.conseillerIds?.length) grants.push({ id: { $in: viewer.conseillerIds } });
    if (viewer.role === 'structure') grants.push({ isAvailable: true });
    return { $or: grants } as FilterQuery<Conseiller>;
  });
}

/** Mises en relation: those of a located structure, and the viewer's advisors' own. */
export function visibleMisesEnRelation(viewer: Viewer): FilterQuery<MiseEnRelation> | undefined {
  return gate<MiseEnRelation>(viewer, 'recruitment:read', () => {
    const grants: FilterQuery<MiseEnRelation>[] = [{ structure: structureGrants(viewer) }] as FilterQuery<MiseEnRelation>[];
    if (viewer.conseillerIds?.length) grants.push({ conseiller: { $in: viewer.conseillerIds } });
    return { $or: grants } as FilterQuery<MiseEnRelation>;
  });
}

/** Contact details of a person: `personal-data:read`, and the person visible. */
export function visiblePersonalData(viewer: Viewer): FilterQuery<ConseillerPersonalData> | undefined {
  if (!hasScopes(viewer, ['personal-data:read'])) return { conseiller: { $in: [] } } as FilterQuery<ConseillerPersonalData>;
  const people = visibleConseillers(viewer);
  return people ? ({ conseiller: people } as FilterQuery<ConseillerPersonalData>) : undefined;
}

/** Rows hanging off a structure (decisions, opinions, requests): visible with it. */
export function underStructure<T extends object>(viewer: Viewer): FilterQuery<T> | undefined {
  const structures = visibleStructures(viewer);
  return structures ? ({ structure: structures } as FilterQuery<T>) : undefined;
}

/** Rows hanging off a mise en relation (history, extensions): visible with it. */
export function underMiseEnRelation<T extends object>(viewer: Viewer): FilterQuery<T> | undefined {
  const mers = visibleMisesEnRelation(viewer);
  return mers ? ({ miseEnRelation: mers } as FilterQuery<T>) : undefined;
}

/**
 * Who takes each step (docs/domain.md §2, §5). The structure applies, asks for posts, selects and recruits its
 * candidates, declares ruptures, asks for extensions and renewals, for its own structure; the prefecture gives
 * opinions in its territory; ANCT administrators decide committees, validate recruitments, ruptures, extensions and
 * renewals, transfer posts, run the matching, and may take any step. A candidate (conseiller role) applies and
 * edits its own application. Partner keys, anonymous callers, hubs, coordinators and grands réseaux write nothing.
 */
const WRITERS = {
  applyStructure: ['admin', 'structure'],
  givePrefectOpinionOnApplication: ['admin', 'prefet'],
  recordCoselecDecision: ['admin'],
  closeStructureApplication: ['admin', 'structure'],
  requestPosts: ['admin', 'structure'],
  giveBackPosts: ['admin', 'structure'],
  givePostRequestOpinion: ['admin', 'prefet'],
  decidePostRequest: ['admin'],
  transferPosts: ['admin'],
  requestCoordinatorPost: ['admin', 'structure'],
  giveCoordinatorRequestOpinion: ['admin', 'prefet'],
  decideCoordinatorRequest: ['admin'],
  setCoordination: ['admin', 'structure'],
  matchCandidates: ['admin'],
  applyCandidate: ['admin', 'conseiller'],
  deleteCandidate: ['admin', 'conseiller'],
  setCandidateAvailability: ['admin', 'conseiller'],
  preselectCandidate: ['admin', 'structure'],
  rejectCandidate: ['admin', 'structure'],
  reconsiderCandidate: ['admin', 'structure'],
  recruitCandidate: ['admin', 'structure'],
  validateRecruitment: ['admin'],
  cancelRecruitment: ['admin', 'structure'],
  declareRupture: ['admin', 'structure'],
  flagRuptureMissingDocuments: ['admin'],
  validateRupture: ['admin'],
  cancelRupture: ['admin', 'structure'],
  requestContractExtension: ['admin', 'structure'],
  validateContractExtension: ['admin'],
  renewContract: ['admin', 'structure'],
  validateRenewal: ['admin'],
  endContract: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

/** The recruitment write steps: role check, transaction, locks and reach checks (common/steps.ts). */
export const { step } = defineWriteSteps(WRITERS);
export type RecruitmentStep = Step<keyof typeof WRITERS>;

/**
 * The reach check of a step on a structure, or on a row of one (its own structure for the structure role, its
 * territory for a prefecture): the row rule of the filters above, on the row locked inside the step.
 */
export function reachStructure(
  { reach }: RecruitmentStep,
  structure: Pick<Structure, 'id' | 'departementCode' | 'regionCode' | 'network'>,
): void {
  reach(
    { departement: structure.departementCode, region: structure.regionCode, structure: structure.id, network: structure.network },
    `structure ${structure.id}`,
    'it is outside your structure or territory',
  );
}

/** Who acted, as recorded in the audit columns and the history: the viewer's role and id (`structure:42-admin`). */
export function actorOf(viewer: Viewer): string {
  return `${viewer.role}:${viewer.id ?? viewer.kind}`;
}
