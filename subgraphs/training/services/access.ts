import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isRestricted, rowCondition, type RowInHand } from '../../../common/authz.js';
export { withFilter } from '../../../common/authz.js';
import { ForbiddenError } from '../../../common/errors.js';
import { geography } from '../../../common/geography.js';
import { defineWriteSteps, type Writers } from '../../../common/steps.js';
import { hasScopes, type Viewer } from '../../../common/viewer.js';
import type { Learner } from '../entities/index.js';

/**
 * Who sees and who changes which training row. Every row about a person hangs off that person's learner record,
 * which holds the employer, département and région stamped when the advisor entered training: a path, an absence, a
 * certification attempt or a module registration is visible exactly when its advisor's learner row is. So a list,
 * a nested field, an `_entities` look-up and an aggregate show the same people. A row without a learner record
 * (never the case through the mutations) is visible to unrestricted viewers only. Nothing locates a learner in a
 * grand réseau: that restriction grants nothing here (fail closed). A session is located by the département of its
 * place, and is also visible to whoever sees one of its learners. The catalogue (training bodies, contract lots,
 * thematic modules) is public. A viewer without `training:read` sees no row even if a request bypassed the
 * gateway's `@access` check (defence in depth).
 */

interface Sql {
  sql: string;
  params: unknown[];
}
const NOTHING: Sql = { sql: 'false', params: [] };

/** The condition on the learner row aliased `alias` (for hand-written SQL), or null when the viewer sees every learner. */
export function learnerCondition(viewer: Viewer, alias: string): Sql | null {
  if (!hasScopes(viewer, ['training:read'])) return NOTHING;
  if (!isRestricted(viewer)) return null;
  return rowCondition(viewer, {
    departement: `${alias}.departement_code`,
    region: `${alias}.region_code`,
    structure: `${alias}.structure_id`,
    conseiller: `${alias}.conseiller_id`,
  });
}

/** Départements a territorial viewer reaches, its régions expanded (a session row only knows its département). */
function departementsReached(viewer: Viewer): string[] {
  const territory = viewer.territory;
  if (!territory) return [];
  const fromRegions = geography()
    .departements.filter((d) => territory.regions.includes(d.region))
    .map((d) => d.code);
  return [...new Set([...territory.departements, ...fromRegions])];
}

/**
 * How a table reaches its advisor's learner row (aliased `vl`), given the alias of its own row; null for the
 * learner table itself.
 */
const PATHS = {
  learner: null,
  advisor: (alias: string, schema: string) => `from "${schema}"."learner" vl where vl.conseiller_id = ${alias}.conseiller_id`,
  absence: (alias: string, schema: string) =>
    `from "${schema}"."formation" vf join "${schema}"."learner" vl on vl.conseiller_id = vf.conseiller_id where vf.id = ${alias}.formation_id`,
  session: (alias: string, schema: string) =>
    `from "${schema}"."formation" vf join "${schema}"."learner" vl on vl.conseiller_id = vf.conseiller_id where vf.session_id = ${alias}.id`,
} as const;
export type Path = keyof typeof PATHS;

function condition(viewer: Viewer, schema: string, path: Path, alias: string): Sql | null {
  const learner = learnerCondition(viewer, path === 'learner' ? alias : 'vl');
  if (!learner) return null;
  const reach = PATHS[path];
  if (!reach) return learner;
  const through = { sql: `exists (select 1 ${reach(alias, schema)} and ${learner.sql})`, params: learner.params };
  if (path !== 'session' || learner === NOTHING) return through;
  const departements = departementsReached(viewer);
  if (!departements.length) return through;
  return {
    sql: `(${alias}.departement_code in (${departements.map(() => '?').join(', ')}) or ${through.sql})`,
    params: [...departements, ...through.params],
  };
}

/**
 * The viewer's row filter for a table, to AND with a query (undefined: every row): `learner` (the learner record),
 * `advisor` (a `conseiller_id` column: paths, certification attempts, module registrations), `absence` (through
 * its path) or `session`. One SQL condition inside the same statement: no extra query.
 */
export function visibleRows<T extends object>(em: EntityManager, viewer: Viewer, path: Path): FilterQuery<T> | undefined {
  const schema = em.config.get('schema') as string;
  const probe = condition(viewer, schema, path, 'x');
  if (!probe) return undefined;
  return { [raw((alias: string) => condition(viewer, schema, path, alias)!.sql, probe.params)]: [] } as FilterQuery<T>;
}

export type SummaryKind = 'departement' | 'region' | 'structure';

/**
 * The rule for aggregates: a summary is given whole when the viewer reaches everything it counts — a national
 * viewer; a département inside the viewer's départements or régions; a région of the viewer's régions; one of the
 * viewer's structures — and refused (FORBIDDEN on that field, the rest of the response intact) otherwise, never
 * computed over part of its advisors. Decided from the viewer alone, so no extra statement.
 */
export function mayAggregate(viewer: Viewer, kind: SummaryKind, code: string): boolean {
  if (!hasScopes(viewer, ['training:read'])) return false;
  if (!isRestricted(viewer)) return true;
  const territory = viewer.territory;
  if (kind === 'departement') return departementsReached(viewer).includes(code);
  if (kind === 'region') return Boolean(territory?.regions.includes(code));
  return Boolean(viewer.structureIds?.includes(Number(code)));
}

export function summaryForbidden(kind: SummaryKind, code: string): ForbiddenError {
  return new ForbiddenError(`The training figures of ${kind} ${code} are outside your territory or structure.`, { kind, code });
}

/**
 * Who takes each step (docs/domain.md §3, §5). ANCT agents (admin) keep the catalogue and the sessions, import the
 * training bodies' and certifiers' results (paths, absences, certifications, exemptions). The employer
 * (structure) and the advisor give the justification of an absence and register the advisor for thematic
 * modules, as may a coordinator for the advisors it coordinates; the hubs, which run modules with Mednum, record
 * attendance in their territory. Partner keys and anonymous callers never write.
 */
const WRITERS = {
  createTrainingBody: ['admin'],
  createContractLot: ['admin'],
  createTrainingSession: ['admin'],
  confirmTrainingSession: ['admin'],
  openTrainingPath: ['admin'],
  enrolInSession: ['admin'],
  withdrawFromSession: ['admin'],
  startTrainingPath: ['admin'],
  completeTrainingPath: ['admin'],
  abandonTrainingPath: ['admin'],
  recordAbsence: ['admin'],
  justifyAbsence: ['admin', 'structure', 'conseiller'],
  recordCertificationResult: ['admin'],
  grantExemption: ['admin'],
  registerForModule: ['admin', 'structure', 'conseiller', 'coordinateur'],
  recordModuleAttendance: ['admin', 'hub'],
} as const satisfies Writers;

export const { step } = defineWriteSteps(WRITERS);

/**
 * Why an admin-only step checks no row: ANCT agents import the training bodies' and certifiers' results and keep
 * the catalogue for the whole country, so training narrows no admin step by the viewer's territory (as before the
 * shared step helper).
 */
export const ADMINS_ONLY = 'admins keep training nationally';

/** Why a restricted viewer cannot act for an advisor: the message every training step gives. */
export const OUTSIDE_REACH = 'outside your structure, territory or advisors';

/**
 * Where an advisor lies for a step's reach check: its learner row, read inside the step. An advisor without one
 * (not in training) lies nowhere, so outside any restricted reach.
 */
export function learnerRow(learner: Pick<Learner, 'conseillerId' | 'structureId' | 'departementCode' | 'regionCode'> | null): RowInHand {
  return learner
    ? { departement: learner.departementCode, region: learner.regionCode, structure: learner.structureId, conseiller: learner.conseillerId }
    : {};
}
