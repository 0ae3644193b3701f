import { defineEntity, p } from '@mikro-orm/core';
import { MEASURES } from './measures.js';
import { CRA_ACTIVITY_TYPES } from './vocabulary.js';

/**
 * Pre-aggregated statistics, kept exact by the same transaction that writes a report (services/aggregates.ts).
 * Their rows are only ever read and written by hand-written SQL; they are entities so that migrations and the
 * schema check cover them.
 *
 * - `cra_stats_month`: per month × advisor × structure × département of the sessions × activity type (a filter on
 *   advisors or structures reads a few rows through its index; the département and région let the viewer's
 *   territorial restriction apply to these figures in the same statement);
 * - `cra_stats_commune_month`: per month × commune × activity type (a filter on the commune of the sessions);
 * - `cra_stats_territory_month` / `cra_stats_territory_day`: per month (or day) × département × activity type,
 *   for national, régional and départemental views (≈ 15 k rows for four years of the whole country).
 */
const measures = () => Object.fromEntries(MEASURES.map((m) => [m.column, p.integer().default(0).fieldName(m.column)]));

export const CraStatsMonthSchema = defineEntity({
  name: 'CraStatsMonth',
  tableName: 'cra_stats_month',
  properties: {
    month: p.date().primary(),
    conseillerId: p.integer().primary(),
    structureId: p.integer().primary(),
    departementCode: p.string().length(3).primary(),
    activityType: p.enum(CRA_ACTIVITY_TYPES).primary(),
    regionCode: p.string().length(3),
    ...measures(),
  },
  indexes: [{ properties: ['conseillerId', 'month'] }, { properties: ['structureId', 'month'] }],
});
export class CraStatsMonth extends CraStatsMonthSchema.class {}
CraStatsMonthSchema.setClass(CraStatsMonth);

export const CraStatsCommuneMonthSchema = defineEntity({
  name: 'CraStatsCommuneMonth',
  tableName: 'cra_stats_commune_month',
  properties: {
    communeCode: p.string().length(5).primary(),
    month: p.date().primary(),
    activityType: p.enum(CRA_ACTIVITY_TYPES).primary(),
    departementCode: p.string().length(3),
    regionCode: p.string().length(3),
    ...measures(),
  },
});
export class CraStatsCommuneMonth extends CraStatsCommuneMonthSchema.class {}
CraStatsCommuneMonthSchema.setClass(CraStatsCommuneMonth);

export const CraStatsTerritoryMonthSchema = defineEntity({
  name: 'CraStatsTerritoryMonth',
  tableName: 'cra_stats_territory_month',
  properties: {
    month: p.date().primary(),
    departementCode: p.string().length(3).primary(),
    activityType: p.enum(CRA_ACTIVITY_TYPES).primary(),
    regionCode: p.string().length(3),
    ...measures(),
  },
});
export class CraStatsTerritoryMonth extends CraStatsTerritoryMonthSchema.class {}
CraStatsTerritoryMonthSchema.setClass(CraStatsTerritoryMonth);

export const CraStatsTerritoryDaySchema = defineEntity({
  name: 'CraStatsTerritoryDay',
  tableName: 'cra_stats_territory_day',
  properties: {
    day: p.date().primary(),
    departementCode: p.string().length(3).primary(),
    activityType: p.enum(CRA_ACTIVITY_TYPES).primary(),
    regionCode: p.string().length(3),
    ...measures(),
  },
});
export class CraStatsTerritoryDay extends CraStatsTerritoryDaySchema.class {}
CraStatsTerritoryDaySchema.setClass(CraStatsTerritoryDay);

/** Each advisor's first and last report: what the activity groups (active, 30 days without a report…) need. */
export const CraAdvisorActivitySchema = defineEntity({
  name: 'CraAdvisorActivity',
  tableName: 'cra_advisor_activity',
  properties: {
    conseillerId: p.integer().primary().autoincrement(false),
    /** Structure and territory of the latest report. */
    structureId: p.integer().index(),
    departementCode: p.string().length(3).index(),
    regionCode: p.string().length(3),
    firstDate: p.date(),
    lastDate: p.date(),
    reports: p.integer(),
  },
});
export class CraAdvisorActivity extends CraAdvisorActivitySchema.class {}
CraAdvisorActivitySchema.setClass(CraAdvisorActivity);
