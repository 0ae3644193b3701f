import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { raw, type EntityName, type FilterQuery } from '@mikro-orm/core';
import { byIdLoader, byKeyLoader } from '../common/loaders.js';
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
import { POST_HOLDING_STATUSES } from './entities/vocabulary.js';
import { territoryRecruitment } from './services/territory.service.js';

/**
 * Children by a many-to-one key, restricted by an extra condition (e.g. only the mises en relation that carry a
 * contract): one `WHERE key IN (…) AND …` statement per batch. The common `byKeyLoader` has no condition.
 */
function byKeyWhereLoader<T extends object>(em: EntityManager, entity: EntityName<T>, key: keyof T & string, where: FilterQuery<T>, orderBy: Record<string, 'asc' | 'desc'>) {
  return new DataLoader<number, T[]>(async (keys) => {
    const rows = await em.find(entity, { $and: [{ [key]: { $in: [...keys] } }, where] } as unknown as FilterQuery<NoInfer<T>>, { orderBy: [orderBy] as never });
    const groups = new Map<number, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) groups.get((row[key] as { id: number }).id)?.push(row);
    return keys.map((k) => groups.get(k)!);
  });
}

/** Posts held per structure: one GROUP BY per batch. */
function occupiedPostsLoader(em: EntityManager) {
  return new DataLoader<number, number>(async (ids) => {
    const rows = (await em
      .createQueryBuilder(MiseEnRelation, 'm')
      .select([raw('m.structure_id as id'), raw('count(*)::int as count')])
      .where({ structure: { $in: [...ids] }, status: { $in: [...POST_HOLDING_STATUSES] } })
      .groupBy(raw('m.structure_id'))
      .execute('all', false)) as { id: number; count: number }[];
    const counts = new Map(rows.map((r) => [Number(r.id), Number(r.count)]));
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

/** Per-request batch loaders of the recruitment subgraph. */
export function createLoaders(em: EntityManager) {
  const hasContract = { contractType: { $ne: null } } as const;
  return {
    structure: byIdLoader(em, Structure),
    conseiller: byIdLoader(em, Conseiller),
    miseEnRelation: byIdLoader(em, MiseEnRelation),
    conseillersByStructure: byKeyLoader(em, Conseiller, 'structure', { id: 'asc' }),
    personalData: byKeyLoader(em, ConseillerPersonalData, 'conseiller', { conseiller: 'asc' }),
    coselecDecisionsByStructure: byKeyLoader(em, CoselecDecision, 'structure', { id: 'asc' }),
    prefectOpinionsByStructure: byKeyLoader(em, PrefectOpinion, 'structure', { id: 'asc' }),
    postRequestsByStructure: byKeyLoader(em, PostRequest, 'structure', { id: 'desc' }),
    coordinatorRequestsByStructure: byKeyLoader(em, CoordinatorRequest, 'structure', { id: 'desc' }),
    contractsByStructure: byKeyWhereLoader(em, MiseEnRelation, 'structure', hasContract, { id: 'desc' }),
    contractsByConseiller: byKeyWhereLoader(em, MiseEnRelation, 'conseiller', hasContract, { id: 'desc' }),
    renewalsOf: byKeyWhereLoader(em, MiseEnRelation, 'renewalOf', {}, { id: 'desc' }),
    extensionsByMiseEnRelation: byKeyLoader(em, ContractExtension, 'miseEnRelation', { id: 'asc' }),
    eventsByMiseEnRelation: byKeyLoader(em, MiseEnRelationEvent, 'miseEnRelation', { id: 'asc' }),
    occupiedPosts: occupiedPostsLoader(em),
    departementRecruitment: new DataLoader((codes: readonly string[]) => territoryRecruitment(em, 'departementCode', codes)),
    regionRecruitment: new DataLoader((codes: readonly string[]) => territoryRecruitment(em, 'regionCode', codes)),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
