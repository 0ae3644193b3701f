import { parseId } from '../../../common/ids.js';
import { reference } from '../../../common/references.js';
import type { PlaceConseillerResolvers, PlaceResolvers } from '../types.generated.js';

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;

export const Place: PlaceResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.place.load(parseId(ref.id)),
  structure: (place) => reference('Structure', place.structureId),
  openingHours: (place) =>
    place.openingHours.map(({ morning, afternoon }, i) => ({
      day: WEEKDAYS[i]!,
      morningOpens: morning?.[0] ?? null,
      morningCloses: morning?.[1] ?? null,
      afternoonOpens: afternoon?.[0] ?? null,
      afternoonCloses: afternoon?.[1] ?? null,
      closed: !morning && !afternoon,
    })),
  conseillers: (place, _args, { loaders }) => loaders.placeConseillers.load(place.id),
};

export const PlaceConseiller: PlaceConseillerResolvers = {
  conseiller: (link) => reference('Conseiller', link.conseillerId),
};
