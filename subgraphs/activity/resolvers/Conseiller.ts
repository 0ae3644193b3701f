import { parseId } from '../../../common/ids.js';
import { pageSize } from '../../../common/pagination.js';
import { activityGroup } from '../rules/activity-groups.js';
import { todayInFrance } from '../../../common/calendar.js';
import type { ConseillerResolvers } from '../types.generated.js';

export const Conseiller: ConseillerResolvers = {
  // Any advisor id is accepted: a candidate simply has no reports.
  __resolveReference: (ref) => ({ __typename: 'Conseiller', id: String(parseId(ref.id)) }),
  cras: (conseiller, { last }, { loaders }) => loaders.latestCras('conseiller_id', pageSize(last, 'last')).load(parseId(conseiller.id)),
  craActivity: async (conseiller, { asOf }, { loaders }) => {
    const activity = await loaders.advisorActivity.load(parseId(conseiller.id));
    return {
      group: activityGroup(activity?.lastDate, asOf ?? todayInFrance()),
      firstReportDate: activity?.firstDate ?? null,
      lastReportDate: activity?.lastDate ?? null,
      reports: activity?.reports ?? 0,
    };
  },
  craStatistics: (conseiller, { from, to, activityType }, { loaders }) =>
    loaders.statistics('conseiller_id', from, to, activityType).load(String(parseId(conseiller.id))),
  places: (conseiller, _args, { loaders }) => loaders.placesOfConseiller.load(parseId(conseiller.id)),
};
