import { parseId } from '../../../common/ids.js';
import { activityGroupCounts } from '../services/activity-groups.js';
import { todayInFrance } from '../../../common/calendar.js';
import { listCras } from '../services/cra.service.js';
import { listPlaces } from '../services/place.service.js';
import { craStatistics } from '../services/statistics.js';
import type { QueryResolvers } from '../types.generated.js';

const optionalId = (value: string | null | undefined, field: string) => (value == null ? null : parseId(value, field));

export const Query: QueryResolvers = {
  cra: (_parent, { id }, { loaders }) => loaders.cra.load(parseId(id)),
  cras: (_parent, { filter, ...args }, { em, viewer }) =>
    listCras(em, viewer, {
      ...args,
      filter: {
        conseillerId: optionalId(filter.conseillerId, 'filter.conseillerId'),
        structureId: optionalId(filter.structureId, 'filter.structureId'),
        placeId: optionalId(filter.placeId, 'filter.placeId'),
        from: filter.from,
        to: filter.to,
        activityType: filter.activityType,
      },
    }),
  craHistory: (_parent, { craId }, { loaders }) => loaders.history.load(parseId(craId, 'craId')),
  place: (_parent, { id }, { loaders }) => loaders.place.load(parseId(id)),
  places: (_parent, { filter, ...args }, { em, viewer }) =>
    listPlaces(em, viewer, { ...args, filter: { ...filter, structureId: optionalId(filter.structureId, 'filter.structureId') } }),
  craStatistics: async (_parent, { filter }, { em, viewer }) => {
    const result = await craStatistics(em, viewer, {
      filter: {
        ...filter,
        structureId: optionalId(filter.structureId, 'filter.structureId'),
        conseillerId: optionalId(filter.conseillerId, 'filter.conseillerId'),
      },
    });
    return result.get('')!;
  },
  craActivityGroups: (_parent, { filter }, { em, viewer }) =>
    activityGroupCounts(em, viewer, {
      asOf: filter?.asOf ?? todayInFrance(),
      conseillerIds: filter?.conseillerIds?.map((id) => parseId(id, 'filter.conseillerIds')),
      structureId: optionalId(filter?.structureId, 'filter.structureId'),
      departementCode: filter?.departementCode,
      regionCode: filter?.regionCode,
    }),
};
