import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import { withFilter } from './authz.js';

/**
 * Per-request batch loaders over the request's forked EntityManager: a list of N parents resolves with
 * one `WHERE … IN (…)` statement per loader, whatever N (no N+1).
 */

/**
 * Entity by primary key (`__resolveReference`, `X.parent` fields); null when absent or not visible: `visible` is
 * the viewer's row filter (common/authz.ts), so an `_entities` call sees exactly what the root fields show.
 */
export function byIdLoader<T extends { id: number }>(
  em: EntityManager,
  entity: EntityName<T>,
  visible?: FilterQuery<T>,
): DataLoader<number, T | null> {
  return new DataLoader(async (ids) => {
    const where = { id: { $in: [...ids] } } as unknown as FilterQuery<NoInfer<T>>;
    const rows = await em.find(entity, withFilter(where, visible as FilterQuery<NoInfer<T>> | undefined));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/**
 * Children by a foreign key (e.g. the conventions of a structure); an empty list when none. `key` is either a
 * plain id column (a reference to another subgraph's entity) or a many-to-one relation of this subgraph.
 */
export function byKeyLoader<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  key: keyof T & string,
  orderBy: QueryOrderMap<T>,
  visible?: FilterQuery<T>,
): DataLoader<number, T[]> {
  const keyOf = (row: T): number => {
    const value = row[key] as unknown;
    return typeof value === 'object' && value !== null ? (value as { id: number }).id : (value as number);
  };
  return new DataLoader(async (keys) => {
    const where = { [key]: { $in: [...keys] } } as unknown as FilterQuery<NoInfer<T>>;
    const rows = await em.find(entity, withFilter(where, visible as FilterQuery<NoInfer<T>> | undefined), { orderBy: [orderBy] as never });
    const groups = new Map<number, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) groups.get(keyOf(row))?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}
