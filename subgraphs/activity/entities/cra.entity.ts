import { defineEntity, p } from '@mikro-orm/core';
import { Place } from './place.entity.js';
import {
  CRA_ACTIVITY_TYPES,
  CRA_CHANNELS,
  CRA_DURATION_BUCKETS,
  CRA_SUB_THEMES,
  CRA_THEMES,
  type CraSubTheme,
  type RedirectionCounts,
} from './vocabulary.js';

const count = () => p.integer().default(0);

/**
 * An activity report (CRA v1, docs/domain.md §1.9). Non-nominative: only counts about the people helped. The advisor's
 * employer and the place's département/région are copied onto the row, because the statistics filter on them and
 * this subgraph never reads recruitment's tables.
 */
export const CraSchema = defineEntity({
  name: 'Cra',
  properties: {
    id: p.integer().primary(),
    /** The advisor and their employer (owned by recruitment): federation references, not foreign keys. */
    conseillerId: p.integer(),
    structureId: p.integer(),
    place: () => p.manyToOne(Place).nullable().index(),
    date: p.date(),
    activityType: p.enum(CRA_ACTIVITY_TYPES),
    channel: p.enum(CRA_CHANNELS),
    participants: p.integer(),
    recurringParticipants: p.integer().nullable(),
    ageUnder12: count().fieldName('age_under_12'),
    ageFrom12To18: count().fieldName('age_from_12_to_18'),
    ageFrom18To35: count().fieldName('age_from_18_to_35'),
    ageFrom35To60: count().fieldName('age_from_35_to_60'),
    ageOver60: count().fieldName('age_over_60'),
    statusEtudiant: count(),
    statusSansEmploi: count(),
    statusEnEmploi: count(),
    statusRetraite: count(),
    statusHeterogene: count(),
    themes: p.enum(CRA_THEMES).array(),
    subThemes: p.enum(Object.keys(CRA_SUB_THEMES) as CraSubTheme[]).array(),
    /** As filed: `0-30`, `30-60`, or a number of minutes ≥ 60. */
    duration: p.string().length(5),
    /** Minutes counted in time totals (0-30 counts 30, 30-60 counts 60). */
    durationMinutes: p.integer(),
    durationBucket: p.enum(CRA_DURATION_BUCKETS),
    followupIndividual: count(),
    followupWorkshop: count(),
    followupRedirected: count(),
    /** People redirected, per body. */
    redirections: p.json<RedirectionCounts>(),
    /** Name of the body when people were redirected to AUTRE. */
    redirectionOtherName: p.string().length(100).nullable(),
    communeCode: p.string().length(5),
    postalCode: p.string().length(5),
    communeName: p.string(),
    departementCode: p.string().length(3),
    regionCode: p.string().length(3),
    annotation: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  // Newest-first lists per advisor, and the raw edge days of a statistics period filtered by structure or commune.
  indexes: [
    { properties: ['conseillerId', 'date', 'id'] },
    { properties: ['structureId', 'date'] },
    { properties: ['communeCode', 'date'] },
  ],
});

export class Cra extends CraSchema.class {}
CraSchema.setClass(Cra);
