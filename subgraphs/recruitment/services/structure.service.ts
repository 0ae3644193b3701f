import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { decodeCursor, pageSize, toConnection } from '../../common/pagination.js';
import { parseId } from '../../common/ids.js';
import { Structure, type StructureStatus } from '../entities/structure.entity.js';

export interface StructureListArgs {
  first?: number | null;
  after?: string | null;
  filter?: { departementCode?: string | null; regionCode?: string | null; status?: readonly StructureStatus[] | null } | null;
}

/** Structures list for dashboards: keyset pagination on id, two statements whatever the page size. */
export async function listStructures(em: EntityManager, args: StructureListArgs) {
  const first = pageSize(args.first);
  const where: FilterQuery<Structure> = {};
  if (args.filter?.departementCode) where.departementCode = args.filter.departementCode;
  if (args.filter?.regionCode) where.regionCode = args.filter.regionCode;
  if (args.filter?.status?.length) where.status = { $in: [...args.filter.status] };
  const afterId = args.after ? parseId(decodeCursor(args.after), 'after') : 0;
  const [rows, totalCount] = await Promise.all([
    em.find(Structure, { ...where, id: { $gt: afterId } }, { orderBy: { id: 'asc' }, limit: first + 1 }),
    em.count(Structure, where),
  ]);
  return toConnection(rows, first, afterId > 0, totalCount, (s) => s.id);
}
