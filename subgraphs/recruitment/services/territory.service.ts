import type { EntityManager } from '@mikro-orm/postgresql';
import { raw } from '@mikro-orm/core';
import { MiseEnRelation, Structure } from '../entities/index.js';
import { POST_HOLDING_STATUSES } from '../entities/vocabulary.js';
import type { Viewer } from '../../../common/viewer.js';
import { visibleMisesEnRelation, visibleStructures, withFilter } from './access.js';
import { allDepartements, allRegions, departement, region } from '../rules/geography.js';

/** Départements and régions: real INSEE geography (static), with recruitment figures read from the structures. */

export function findDepartement(code: string) {
  return departement(code) ?? null;
}

export function findRegion(code: string) {
  return region(code) ?? null;
}

export function listDepartements(regionCode?: string | null) {
  return allDepartements().filter((d) => !regionCode || d.region === regionCode);
}

export function listRegions() {
  return allRegions();
}

export interface TerritoryRecruitment {
  structures: number;
  validatedStructures: number;
  postsGranted: number;
  postsOccupied: number;
}

/**
 * Figures for many territories of one level at once (the DataLoader's batch): two GROUP BY statements,
 * whatever the number of territories. Only the rows the viewer may read are counted (structures, and the contracts
 * holding posts): a territory outside its reach shows zeros, one partly in reach its visible part.
 */
export async function territoryRecruitment(
  em: EntityManager,
  viewer: Viewer,
  { level, codes }: { level: 'departementCode' | 'regionCode'; codes: readonly string[] },
): Promise<TerritoryRecruitment[]> {
  const column = level === 'departementCode' ? 'departement_code' : 'region_code';
  const [structures, occupied] = await Promise.all([
    em
      .createQueryBuilder(Structure, 's')
      .select([
        raw(`s.${column} as code`),
        raw('count(*)::int as structures'),
        raw(`(count(*) filter (where s.status = 'VALIDATION_COSELEC'))::int as validated`),
        raw(`coalesce(sum(s.post_quota) filter (where s.status = 'VALIDATION_COSELEC'), 0)::int as posts`),
      ])
      .where(withFilter<Structure>({ [level]: { $in: [...codes] } }, visibleStructures(viewer)) as never)
      .groupBy(raw(`s.${column}`))
      .execute('all', false) as Promise<{ code: string; structures: number; validated: number; posts: number }[]>,
    em
      .createQueryBuilder(MiseEnRelation, 'm')
      .select([raw(`s.${column} as code`), raw('count(*)::int as occupied')])
      .join('m.structure', 's')
      .where(
        withFilter<MiseEnRelation>(
          { status: { $in: [...POST_HOLDING_STATUSES] }, structure: { [level]: { $in: [...codes] } } },
          visibleMisesEnRelation(viewer),
        ) as never,
      )
      .groupBy(raw(`s.${column}`))
      .execute('all', false) as Promise<{ code: string; occupied: number }[]>,
  ]);
  const byCode = new Map(structures.map((r) => [r.code, r]));
  const occupiedByCode = new Map(occupied.map((r) => [r.code, Number(r.occupied)]));
  return codes.map((code) => {
    const row = byCode.get(code);
    return {
      structures: Number(row?.structures ?? 0),
      validatedStructures: Number(row?.validated ?? 0),
      postsGranted: Number(row?.posts ?? 0),
      postsOccupied: occupiedByCode.get(code) ?? 0,
    };
  });
}
