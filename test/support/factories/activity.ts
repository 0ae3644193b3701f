import type { EntityManager } from '@mikro-orm/postgresql';
import type { MikroORM } from '../../../common/db.js';
import { SYSTEM_ADMIN } from '../../../common/viewer.js';
import type { Cra } from '../../../subgraphs/activity/entities/index.js';
import { fileCras } from '../../../subgraphs/activity/services/cra.service.js';
import type { CraInput } from '../../../subgraphs/activity/rules/cra-validation.js';

/** Shorthands accepted by `craInput` on top of the full input. */
export interface CraOverrides extends Partial<CraInput> {
  conseillerId: CraInput['conseillerId'];
  structureId: CraInput['structureId'];
  /** Turned into the filed `duration` (`0-30`, `30-60` or the minutes). */
  durationMinutes?: number;
}

/** A valid report input: one adult with a job, at the advisor's place in Marseille, unless overridden. */
export function craInput({ durationMinutes = 45, ...overrides }: CraOverrides): CraInput {
  const participants = overrides.participants ?? 1;
  return {
    date: '2024-03-01',
    activityType: participants > 1 ? 'COLLECTIF' : 'INDIVIDUEL',
    channel: 'RATTACHEMENT',
    participants,
    ages: { under12: 0, from12To18: 0, from18To35: participants, from35To60: 0, over60: 0 },
    statuses: { etudiant: 0, sansEmploi: 0, enEmploi: participants, retraite: 0, heterogene: 0 },
    themes: ['INTERNET'],
    duration: durationMinutes <= 30 ? '0-30' : durationMinutes <= 60 ? '30-60' : String(durationMinutes),
    communeCode: '13055',
    postalCode: '13001',
    ...overrides,
  };
}

/** Files a report through the service, so the aggregates and the audit trail are kept as in production. */
export async function createCra(orm: MikroORM, overrides: CraOverrides): Promise<Cra> {
  const [cra] = await fileCras(orm.em.fork() as EntityManager, SYSTEM_ADMIN, { cras: [craInput(overrides)], today: '2026-12-31' });
  return cra!;
}

/** Everything the aggregate tables hold for an advisor, summed (reports, participants, minutes), next to the reports themselves. */
export async function activityTotals(orm: MikroORM, conseillerId: number) {
  const em = orm.em.fork() as EntityManager;
  const [month] = await em.execute(
    `select coalesce(sum(reports), 0)::int reports, coalesce(sum(participants), 0)::int participants, coalesce(sum(duration_minutes), 0)::int minutes from activity.cra_stats_month where conseiller_id = ?`,
    [conseillerId],
  );
  const [raw] = await em.execute(
    `select count(*)::int reports, coalesce(sum(participants), 0)::int participants, coalesce(sum(duration_minutes), 0)::int minutes from activity.cra where conseiller_id = ?`,
    [conseillerId],
  );
  const [advisor] = await em.execute(
    `select reports, to_char(first_date, 'YYYY-MM-DD') first, to_char(last_date, 'YYYY-MM-DD') last from activity.cra_advisor_activity where conseiller_id = ?`,
    [conseillerId],
  );
  return { month, raw, advisor: advisor ?? null };
}
