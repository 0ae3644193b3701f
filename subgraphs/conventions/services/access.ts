import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isRestricted, rowCondition, type RowInHand } from '../../../common/authz.js';
export { withFilter } from '../../../common/authz.js';
import { defineWriteSteps, type Writers } from '../../../common/steps.js';
import { hasScopes, type Viewer } from '../../../common/viewer.js';
import type { Convention } from '../entities/index.js';

/**
 * Who sees and who changes which agreement. Every row of this subgraph hangs off an agreement, and the agreement
 * locates itself with what it copied from its structure when it was opened: the structure, its département, its
 * région and its national network. A row is visible exactly when its agreement is, so a list, a nested field, an
 * `_entities` look-up and an aggregate all show the same rows. Advisors (the conseiller role, a coordinator of
 * listed advisors) see the agreements funding a post they hold or held a contract on. A viewer without the `conventions:read` scope sees no row even if
 * a request bypassed the gateway's `@access` check (defence in depth).
 */

/** The SQL condition on the agreement row aliased `alias`, or null when the viewer sees every agreement. */
function conventionCondition(viewer: Viewer, schema: string, alias: string): { sql: string; params: unknown[] } | null {
  if (!hasScopes(viewer, ['conventions:read'])) return { sql: 'false', params: [] };
  if (!isRestricted(viewer)) return null;
  const own = rowCondition(viewer, {
    departement: `${alias}.departement_code`,
    region: `${alias}.region_code`,
    structure: `${alias}.structure_id`,
    network: `${alias}.network`,
  });
  const advisors = viewer.conseillerIds ?? [];
  if (advisors.length === 0) return own;
  const marks = advisors.map(() => '?').join(', ');
  return {
    sql: `(${own.sql} or exists (select 1 from "${schema}"."post" vp where vp.convention_id = ${alias}.id and (vp.conseiller_id in (${marks})
            or exists (select 1 from "${schema}"."employment_contract" vc where vc.post_id = vp.id and vc.conseiller_id in (${marks})))))`,
    params: [...own.params, ...advisors, ...advisors],
  };
}

/** How a table reaches its agreement row, given the alias of its own row; the agreement row is aliased `va`. */
const PATHS = {
  convention: null,
  child: (alias: string, schema: string) => `from "${schema}"."convention" va where va.id = ${alias}.convention_id`,
  contract: (alias: string, schema: string) =>
    `from "${schema}"."post" vcp join "${schema}"."convention" va on va.id = vcp.convention_id where vcp.id = ${alias}.post_id`,
} as const;
type Path = keyof typeof PATHS;

/**
 * The viewer's row filter for a table, to AND with a query (undefined: every row). `path` says how the table
 * reaches its agreement: `convention` (the agreement itself), `child` (a `convention_id` column: posts, tranches,
 * credit notes, amendments) or `contract` (through its post). One SQL condition, no extra statement.
 */
export function visibleRows<T extends object>(em: EntityManager, viewer: Viewer, path: Path): FilterQuery<T> | undefined {
  const schema = em.config.get('schema') as string;
  const probe = conventionCondition(viewer, schema, 'va');
  if (!probe) return undefined;
  const reach = PATHS[path];
  const fragment = raw(
    (alias: string) =>
      reach ? `exists (select 1 ${reach(alias, schema)} and ${probe.sql})` : conventionCondition(viewer, schema, alias)!.sql,
    probe.params,
  );
  return { [fragment]: [] } as FilterQuery<T>;
}

/** The viewer's condition on agreements aliased `alias`, for hand-written SQL (`true` when unrestricted). */
export function visibleConventionsSql(em: EntityManager, viewer: Viewer, alias: string): { sql: string; params: unknown[] } {
  return conventionCondition(viewer, em.config.get('schema') as string, alias) ?? { sql: 'true', params: [] };
}

/**
 * Who takes each step (docs/domain.md §1.6, §2.3, §2.4, §5). Structures open, renew or decline their own agreements
 * (their contracts come from recruitment's events, never keyed in here); Banque des Territoires and ANCT agents
 * (admin) instruct the DS files, sign, pay and terminate, and may take any step. Amendments and transfers are decided
 * in recruitment and applied here from its events (consumers/), not by a step. Partner keys and anonymous callers
 * never write.
 */
const WRITERS = {
  openConvention: ['admin', 'structure'],
  renewConvention: ['admin', 'structure'],
  declineRenewal: ['admin', 'structure'],
  moveDsFile: ['admin'],
  signConvention: ['admin'],
  markTranchePaid: ['admin'],
  terminateConvention: ['admin'],
} as const satisfies Writers;

/** Every write step of the subgraph: the role check, the transaction and the reach checks (common/steps.ts). */
export const { step } = defineWriteSteps(WRITERS);

/**
 * Where an agreement stands for the reach check of a step (`reach` of common/steps.ts): what it copied from its
 * structure, the same columns as the row filter. The agreement locked in the step, or, to open one, the copy of its
 * structure recruitment keeps here (never what the request says).
 */
export function inHand(
  located: Pick<Convention, 'structureId' | 'departementCode' | 'regionCode'> & { network?: Convention['network'] },
): RowInHand {
  return {
    departement: located.departementCode,
    region: located.regionCode,
    structure: located.structureId,
    network: located.network ?? null,
  };
}
