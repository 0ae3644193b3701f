import { COPY_ENTITIES } from '../../../common/events/copies.js';
import {
  CraAdvisorActivity,
  CraStatsCommuneMonth,
  CraStatsMonth,
  CraStatsTerritoryDay,
  CraStatsTerritoryMonth,
} from './aggregates.entity.js';
import { CraAudit } from './audit.entity.js';
import { Cra } from './cra.entity.js';
import { Place, PlaceConseiller } from './place.entity.js';

export {
  Cra,
  CraAudit,
  Place,
  PlaceConseiller,
  CraAdvisorActivity,
  CraStatsCommuneMonth,
  CraStatsMonth,
  CraStatsTerritoryDay,
  CraStatsTerritoryMonth,
};
export type { DayHours } from './place.entity.js';
export * from './vocabulary.js';
/** Its own entities, and the copies it keeps of recruitment's structures and contracts (common/events/copies.ts). */
export const entities = [
  ...COPY_ENTITIES,
  Place,
  PlaceConseiller,
  Cra,
  CraAudit,
  CraStatsMonth,
  CraStatsCommuneMonth,
  CraStatsTerritoryMonth,
  CraStatsTerritoryDay,
  CraAdvisorActivity,
];
