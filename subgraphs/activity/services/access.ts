import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isRestricted, rowCondition } from '../../../common/authz.js';
export { withFilter } from '../../../common/authz.js';
import { defineWriteSteps } from '../../../common/steps.js';
import { hasScopes, type Viewer } from '../../../common/viewer.js';
import type { Cra, Place } from '../entities/index.js';

/**
 * Who sees and who changes what in the activity subgraph (docs/domain.md §5, docs/security.md §7).
 *
 * - Public: statistics of the whole country, a région, a département or a commune (`statistics:read`, anonymous
 *   included). They are sums over everyone's sessions in a territory and need no row filter.
 * - Restricted: the reports themselves, their audit trail, places of activity, and every figure about advisors or
 *   structures (per-advisor or per-structure statistics, activity groups). A report locates itself by the advisor
 *   who filed it, the advisor's employer, and the département and région of the session's commune; a place by its
 *   structure, its commune's département and région, and the advisors working there. A viewer sees the rows one of
 *   its restrictions reaches (territory, structure, advisor); a restriction this subgraph cannot evaluate — a grand
 *   réseau's network, which no activity row stores — reaches nothing (fail closed). A viewer without `activity:read`
 *   (anonymous, statistics-only keys) reaches no restricted row, even when a request bypasses the gateway.
 * - Aggregates over restricted rows count only the rows the viewer reaches (the same condition in the same
 *   statement), so a préfet asking for a structure's statistics gets the sessions held in its territory.
 */

export interface Condition {
  sql: string;
  params: unknown[];
}

/** The columns (or expressions) that locate a report. */
interface ReportColumns {
  departement: string;
  region: string;
  structure: string;
  conseiller: string;
}

/**
 * What the identity alone decides — no restricted row without `activity:read`, every row without a restriction
 * (null) — or else the restricted viewer's condition.
 */
function gated(viewer: Viewer, restricted: () => Condition): Condition | null {
  if (!hasScopes(viewer, ['activity:read'])) return { sql: 'false', params: [] };
  return isRestricted(viewer) ? restricted() : null;
}

function reach(viewer: Viewer, columns: ReportColumns): Condition | null {
  return gated(viewer, () => rowCondition(viewer, columns));
}

/**
 * The viewer's condition on rows aliased `alias` that carry a report's location columns (`departement_code`,
 * `region_code`, `structure_id`, `conseiller_id`): reports, the per-advisor aggregates, the advisors' activity.
 * Null when the viewer sees every row.
 */
export function reportReach(viewer: Viewer, alias: string): Condition | null {
  return reach(viewer, {
    departement: `${alias}.departement_code`,
    region: `${alias}.region_code`,
    structure: `${alias}.structure_id`,
    conseiller: `${alias}.conseiller_id`,
  });
}

/** One raw SQL condition as a MikroORM filter (undefined when the viewer sees every row). */
function asFilter<T extends object>(condition: (alias: string) => Condition | null): FilterQuery<T> | undefined {
  const probe = condition('x');
  if (!probe) return undefined;
  return { [raw((alias: string) => condition(alias)!.sql, probe.params)]: [] } as FilterQuery<T>;
}

/** The viewer's filter on reports or any entity with their location columns (to AND with a query; undefined: every row). */
export function visibleReports<T extends object = Cra>(viewer: Viewer): FilterQuery<T> | undefined {
  return asFilter<T>((alias) => reportReach(viewer, alias));
}

/**
 * The viewer's condition on places aliased `alias`: its structure and territory, or an advisor of the viewer
 * working there (the conseiller role, a coordinator of listed advisors).
 */
export function placeReach(em: EntityManager, viewer: Viewer, alias: string): Condition | null {
  return gated(viewer, () => {
    const own = rowCondition(viewer, {
      departement: `${alias}.departement_code`,
      region: `${alias}.region_code`,
      structure: `${alias}.structure_id`,
    });
    const advisors = viewer.conseillerIds ?? [];
    if (advisors.length === 0) return own;
    return {
      sql: `(${own.sql} or exists (select 1 from "${em.config.get('schema')}"."place_conseiller" vpc where vpc.place_id = ${alias}.id and vpc.conseiller_id in (${advisors.map(() => '?').join(', ')})))`,
      params: [...own.params, ...advisors],
    };
  });
}

/** The viewer's filter on places (to AND with a query; undefined: every place). */
export function visiblePlaces(em: EntityManager, viewer: Viewer): FilterQuery<Place> | undefined {
  return asFilter<Place>((alias) => placeReach(em, viewer, alias));
}

/**
 * An audit entry is visible when the report it records — before or after the change — is within reach, so the
 * trail of a deleted report stays visible to those who saw the report.
 */
export function auditReach(viewer: Viewer, alias: string): Condition | null {
  const snapshot = (column: 'before' | 'after') =>
    reach(viewer, {
      departement: `(${alias}.${column}->>'departement_code')`,
      region: `(${alias}.${column}->>'region_code')`,
      structure: `(${alias}.${column}->>'structure_id')::int`,
      conseiller: `(${alias}.${column}->>'conseiller_id')::int`,
    });
  const [before, after] = [snapshot('before'), snapshot('after')];
  if (!before || !after) return null;
  return { sql: `(${before.sql} or ${after.sql})`, params: [...before.params, ...after.params] };
}

/**
 * Who takes each write step (docs/domain.md §5), by mutation: an advisor files, edits and deletes its own reports
 * (the step checks the report's advisor); a structure creates and updates its own places (the step checks the
 * place's structure, before and after); an administrator does everything. Partner keys and anonymous callers never
 * write.
 */
const WRITERS = {
  fileCra: ['admin', 'conseiller'],
  fileCras: ['admin', 'conseiller'],
  updateCra: ['admin', 'conseiller'],
  deleteCra: ['admin', 'conseiller'],
  createPlace: ['admin', 'structure'],
  updatePlace: ['admin', 'structure'],
} as const;

export const { step } = defineWriteSteps(WRITERS);

/**
 * Why a write step refuses a row out of reach. For a write, a report is located by its advisor alone and a place
 * by its structure alone: writing is owning the row, not the wider reach reading has.
 */
export const OWN_REPORTS = 'an advisor only writes its own reports';
export const OWN_PLACES = 'it is not your structure';
