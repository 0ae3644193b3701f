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
export const entities = [
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
