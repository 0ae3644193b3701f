import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { raw, type EntityName, type FilterQuery } from '@mikro-orm/core';
import { byIdLoader, byKeyLoader } from '../../common/loaders.js';
import {
  Conseiller,
  ConseillerPersonalData,
  ContractExtension,
  CoordinatorRequest,
  CoselecDecision,
  MiseEnRelation,
  MiseEnRelationEvent,
  PostRequest,
  PrefectOpinion,
  Structure,
} from './entities/index.js';
import type { Viewer } from '../../common/viewer.js';
import { POST_HOLDING_STATUSES } from './entities/vocabulary.js';
import {
  underMiseEnRelation,
  underStructure,
  visibleConseillers,
  visibleMisesEnRelation,
  visiblePersonalData,
  visibleStructures,
  withFilter,
} from './services/access.js';
import { territoryRecruitment } from './services/territory.service.js';

/**
 * Children by a many-to-one key, restricted by an extra condition (e.g. only the mises en relation that carry a
 * contract) and the viewer's row filter: one `WHERE key IN (…) AND …` statement per batch.
 */
function byKeyWhereLoader<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  key: keyof T & string,
  where: FilterQuery<T>,
  orderBy: Record<string, 'asc' | 'desc'>,
) {
  return new DataLoader<number, T[]>(async (keys) => {
    const rows = await em.find(entity, { $and: [{ [key]: { $in: [...keys] } }, where] } as unknown as FilterQuery<NoInfer<T>>, {
      orderBy: [orderBy] as never,
    });
    const groups = new Map<number, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) groups.get((row[key] as { id: number }).id)?.push(row);
    return keys.map((k) => groups.get(k)!);
  });
}

/** Posts held per structure, counting only the contracts the viewer may read: one GROUP BY per batch. */
function occupiedPostsLoader(em: EntityManager, visible: FilterQuery<MiseEnRelation> | undefined) {
  return new DataLoader<number, number>(async (ids) => {
    const rows = (await em
      .createQueryBuilder(MiseEnRelation, 'm')
      .select([raw('m.structure_id as id'), raw('count(*)::int as count')])
      .where(withFilter<MiseEnRelation>({ structure: { $in: [...ids] }, status: { $in: [...POST_HOLDING_STATUSES] } }, visible) as never)
      .groupBy(raw('m.structure_id'))
      .execute('all', false)) as { id: number; count: number }[];
    const counts = new Map(rows.map((r) => [Number(r.id), Number(r.count)]));
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

/**
 * Per-request batch loaders of the recruitment subgraph, each with the viewer's row filter in its WHERE clause: an
 * `_entities` look-up, a nested field and a root field show the same rows.
 */
export function createLoaders(em: EntityManager, viewer: Viewer) {
  const hasContract = { contractType: { $ne: null } } as const;
  const structures = visibleStructures(viewer);
  const people = visibleConseillers(viewer);
  const mers = visibleMisesEnRelation(viewer);
  const merRows = (where: FilterQuery<MiseEnRelation>) => withFilter(where, mers);
  return {
    structure: byIdLoader(em, Structure, structures),
    conseiller: byIdLoader(em, Conseiller, people),
    miseEnRelation: byIdLoader(em, MiseEnRelation, mers),
    conseillersByStructure: byKeyLoader(em, Conseiller, 'structure', { id: 'asc' }, people),
    personalData: byKeyLoader(em, ConseillerPersonalData, 'conseiller', { conseiller: 'asc' }, visiblePersonalData(viewer)),
    coselecDecisionsByStructure: byKeyLoader(em, CoselecDecision, 'structure', { id: 'asc' }, underStructure<CoselecDecision>(viewer)),
    prefectOpinionsByStructure: byKeyLoader(em, PrefectOpinion, 'structure', { id: 'asc' }, underStructure<PrefectOpinion>(viewer)),
    postRequestsByStructure: byKeyLoader(em, PostRequest, 'structure', { id: 'desc' }, underStructure<PostRequest>(viewer)),
    coordinatorRequestsByStructure: byKeyLoader(
      em,
      CoordinatorRequest,
      'structure',
      { id: 'desc' },
      underStructure<CoordinatorRequest>(viewer),
    ),
    contractsByStructure: byKeyWhereLoader(em, MiseEnRelation, 'structure', merRows(hasContract), { id: 'desc' }),
    contractsByConseiller: byKeyWhereLoader(em, MiseEnRelation, 'conseiller', merRows(hasContract), { id: 'desc' }),
    renewalsOf: byKeyWhereLoader(em, MiseEnRelation, 'renewalOf', merRows({}), { id: 'desc' }),
    extensionsByMiseEnRelation: byKeyLoader(
      em,
      ContractExtension,
      'miseEnRelation',
      { id: 'asc' },
      underMiseEnRelation<ContractExtension>(viewer),
    ),
    eventsByMiseEnRelation: byKeyLoader(
      em,
      MiseEnRelationEvent,
      'miseEnRelation',
      { id: 'asc' },
      underMiseEnRelation<MiseEnRelationEvent>(viewer),
    ),
    occupiedPosts: occupiedPostsLoader(em, mers),
    departementRecruitment: new DataLoader((codes: readonly string[]) =>
      territoryRecruitment(em, viewer, { level: 'departementCode', codes }),
    ),
    regionRecruitment: new DataLoader((codes: readonly string[]) => territoryRecruitment(em, viewer, { level: 'regionCode', codes })),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
