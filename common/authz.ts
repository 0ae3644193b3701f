import type { FilterQuery } from '@mikro-orm/core';
import type { Viewer } from './viewer.js';

/**
 * Row-level visibility, applied in each subgraph's SQL (never by filtering rows after loading them). A table says
 * which of its properties locate a row — its département, région, structure, advisor, network — and the viewer's
 * restrictions become a WHERE clause: each restriction grants the rows matching it; a restriction the table cannot
 * evaluate grants none (fail closed). Viewers with no restriction (admin, national roles and keys) see every row.
 */
export interface RowLocation {
  departement?: string;
  region?: string;
  structure?: string;
  conseiller?: string;
  network?: string;
  /** The primary key property, used to express "no row" (default `id`). */
  id?: string;
}

export function isRestricted(viewer: Viewer): boolean {
  return viewer.territory !== null || viewer.structureIds !== null || viewer.conseillerIds !== null || viewer.network !== null;
}

/** The MikroORM filter to AND with a query's own; undefined when the viewer sees every row. */
export function rowFilter<T extends object>(viewer: Viewer, at: RowLocation): FilterQuery<T> | undefined {
  if (!isRestricted(viewer)) return undefined;
  const grants: Record<string, unknown>[] = [];
  const { territory, structureIds, conseillerIds, network } = viewer;
  if (territory && at.departement && territory.departements.length) grants.push({ [at.departement]: { $in: territory.departements } });
  if (territory && at.region && territory.regions.length) grants.push({ [at.region]: { $in: territory.regions } });
  if (structureIds && at.structure) grants.push({ [at.structure]: { $in: structureIds } });
  if (conseillerIds && at.conseiller) grants.push({ [at.conseiller]: { $in: conseillerIds } });
  if (network && at.network) grants.push({ [at.network]: network });
  // An empty IN list is rendered as a false condition: nothing is visible.
  return (grants.length ? { $or: grants } : { [at.id ?? 'id']: { $in: [] } }) as FilterQuery<T>;
}

/** ANDs a viewer's row filter (when there is one) with a query's own condition. */
export function withFilter<T extends object>(where: FilterQuery<T>, filter: FilterQuery<T> | undefined): FilterQuery<T> {
  return filter ? ({ $and: [where, filter] } as FilterQuery<T>) : where;
}

/** Where a row already in hand lies: the values of its location columns. */
export interface RowInHand {
  departement?: string | null;
  region?: string | null;
  structure?: number | null;
  conseiller?: number | null;
  network?: string | null;
}

/** The same rule for a row already in hand (e.g. a value computed outside SQL, or a row locked by a write step). */
export function canSeeRow(viewer: Viewer, row: RowInHand): boolean {
  if (!isRestricted(viewer)) return true;
  const { territory, structureIds, conseillerIds, network } = viewer;
  return Boolean(
    (territory && row.departement != null && territory.departements.includes(row.departement)) ||
    (territory && row.region != null && territory.regions.includes(row.region)) ||
    (structureIds && row.structure != null && structureIds.includes(row.structure)) ||
    (conseillerIds && row.conseiller != null && conseillerIds.includes(row.conseiller)) ||
    (network && row.network != null && row.network === network),
  );
}

/** For hand-written SQL: a condition on the given columns and its parameters (`?` placeholders). */
export function rowCondition(viewer: Viewer, columns: RowLocation): { sql: string; params: unknown[] } {
  if (!isRestricted(viewer)) return { sql: 'true', params: [] };
  const parts: string[] = [];
  const params: unknown[] = [];
  const { territory, structureIds, conseillerIds, network } = viewer;
  const any = (column: string, values: readonly unknown[]) => {
    parts.push(`${column} in (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (territory && columns.departement && territory.departements.length) any(columns.departement, territory.departements);
  if (territory && columns.region && territory.regions.length) any(columns.region, territory.regions);
  if (structureIds?.length && columns.structure) any(columns.structure, structureIds);
  if (conseillerIds?.length && columns.conseiller) any(columns.conseiller, conseillerIds);
  if (network && columns.network) {
    parts.push(`${columns.network} = ?`);
    params.push(network);
  }
  return parts.length ? { sql: `(${parts.join(' or ')})`, params } : { sql: 'false', params: [] };
}
