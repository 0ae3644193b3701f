import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError } from '../../../common/errors.js';
import { byId, byString, keysetPage, sortOf, type Connection, type OrderBy, type PageArgs } from '../../../common/pagination.js';
import type { Viewer } from '../../../common/viewer.js';
import { RecruitmentContract } from '../../../common/events/copies.js';
import { Place, PlaceConseiller, type PlaceAccessType } from '../entities/index.js';
import { validatePlace, type PlaceInput } from '../rules/place-validation.js';
import { OWN_PLACES, placeReach, step, visiblePlaces, withFilter } from './access.js';

/** A valid place, or BAD_USER_INPUT naming the first field at fault under `prefix` (every problem in `items`). */
function validOrThrow(input: PlaceInput, prefix: string) {
  const result = validatePlace(input);
  if (!result.ok) throw new BadUserInputError(result.issues[0]!.message, `${prefix}.${result.issues[0]!.field}`, { items: result.issues });
  return result;
}

/**
 * Every advisor listed at a place holds or held a contract with the place's structure (activity's copy of
 * recruitment's contracts, one statement): a place links a structure to its own advisors, never to one it never
 * employed. A place has no date, so a past employment counts (its list is history until edited).
 */
async function checkEmployedBy(tx: EntityManager, structureId: number, conseillerIds: readonly number[], prefix: string): Promise<void> {
  if (conseillerIds.length === 0) return;
  const employed = new Set(
    (
      await tx.find(
        RecruitmentContract,
        { structureId, conseillerId: { $in: [...conseillerIds] }, employedFrom: { $ne: null } },
        { fields: ['conseillerId'] },
      )
    ).map((c) => c.conseillerId),
  );
  const strangers = conseillerIds.filter((id) => !employed.has(id));
  if (strangers.length > 0)
    throw new BadUserInputError(
      `Structure ${structureId} never employed advisor${strangers.length > 1 ? 's' : ''} ${strangers.join(', ')}: a place lists only its structure's advisors.`,
      `${prefix}.conseillers`,
    );
}

/** Creates a place and the advisors working there (a structure for itself, or an admin). */
export function createPlace(em: EntityManager, viewer: Viewer, { place: input }: { place: PlaceInput }): Promise<Place> {
  return step(em, viewer, 'createPlace', { check: () => validOrThrow(input, 'input') }, async ({ tx, reach }, { values, conseillers }) => {
    reach({ structure: values.structureId }, `structure ${values.structureId}`, OWN_PLACES);
    await checkEmployedBy(
      tx,
      values.structureId,
      conseillers.map((c) => c.conseillerId),
      'input',
    );
    const place = tx.create(Place, values);
    for (const c of conseillers) tx.create(PlaceConseiller, { place, ...c });
    await tx.flush();
    return place;
  });
}

/** Replaces a place's details and its list of advisors; a structure cannot hand its place to another one. */
export function updatePlace(em: EntityManager, viewer: Viewer, { id, place: input }: { id: number; place: PlaceInput }): Promise<Place> {
  const check = () => validOrThrow(input, 'input.place');
  return step(em, viewer, 'updatePlace', { check }, async ({ tx, lock, reach }, { values, conseillers }) => {
    const place = await lock(Place, id);
    for (const structureId of [values.structureId, place.structureId])
      reach({ structure: structureId }, `structure ${structureId}`, OWN_PLACES);
    await checkEmployedBy(
      tx,
      values.structureId,
      conseillers.map((c) => c.conseillerId),
      'input.place',
    );
    tx.assign(place, values);
    await tx.nativeDelete(PlaceConseiller, { place: id });
    for (const c of conseillers) tx.create(PlaceConseiller, { place, ...c });
    await tx.flush();
    return place;
  });
}

/** The advisors of each place (one statement for all places). */
export async function placeConseillers(em: EntityManager, placeIds: readonly number[]): Promise<Map<number, PlaceConseiller[]>> {
  const rows = await em.find(PlaceConseiller, { place: { $in: [...placeIds] } }, { orderBy: { conseillerId: 'asc' } });
  const byPlace = new Map<number, PlaceConseiller[]>(placeIds.map((id) => [id, []]));
  for (const row of rows) byPlace.get(row.place.id)?.push(row);
  return byPlace;
}

/** The places where each advisor works, as far as the viewer sees them (one statement for all advisors). */
export async function placesOfConseillers(
  em: EntityManager,
  viewer: Viewer,
  conseillerIds: readonly number[],
): Promise<Map<number, Place[]>> {
  const schema = em.config.get('schema');
  const reach = placeReach(em, viewer, 'p');
  const rows = await em.execute<Record<string, unknown>[]>(
    `select pc.conseiller_id as link_conseiller_id, p.* from "${schema}"."place_conseiller" pc join "${schema}"."place" p on p.id = pc.place_id
     where pc.conseiller_id in (?)${reach ? ` and ${reach.sql}` : ''} order by p.id`,
    [[...conseillerIds], ...(reach?.params ?? [])],
  );
  const byConseiller = new Map<number, Place[]>(conseillerIds.map((id) => [id, []]));
  for (const { link_conseiller_id: conseillerId, ...columns } of rows)
    byConseiller.get(conseillerId as number)?.push(em.map(Place, columns));
  return byConseiller;
}

export interface PlaceFilter {
  structureId?: number | null;
  departementCode?: string | null;
  communeCode?: string | null;
  accessType?: readonly PlaceAccessType[] | null;
}

export interface PlaceListArgs extends PageArgs {
  filter: PlaceFilter;
  orderBy?: OrderBy<'ID' | 'NAME'> | null;
}

/** Places matching the filter and visible to the viewer, by keyset (default: by id). */
export async function listPlaces(
  em: EntityManager,
  viewer: Viewer,
  { filter, orderBy, ...page }: PlaceListArgs,
): Promise<Connection<Place>> {
  if (filter.structureId == null && filter.departementCode == null && filter.communeCode == null) {
    throw new BadUserInputError('Filter places by structureId, departementCode or communeCode.', 'filter');
  }
  const where: FilterQuery<Place> = {};
  if (filter.structureId != null) where.structureId = filter.structureId;
  if (filter.departementCode != null) where.departementCode = filter.departementCode;
  if (filter.communeCode != null) where.communeCode = filter.communeCode;
  // Any of the types: the column's array overlaps the list.
  if (filter.accessType?.length) where.accessTypes = { $overlap: [...filter.accessType] };
  const sort = sortOf<Place, 'ID' | 'NAME'>(
    orderBy,
    { ID: (direction) => byId(direction), NAME: (direction) => byString('name', direction) },
    { field: 'ID', direction: 'ASC' },
  );
  return keysetPage(em, Place, withFilter(where, visiblePlaces(em, viewer)), sort, page);
}
