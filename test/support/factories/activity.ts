import type { EntityManager } from '@mikro-orm/postgresql';
import type { MikroORM } from '../../../common/db.js';
import { SYSTEM_ADMIN } from '../../../common/viewer.js';
import { contractSigned, type ContractState } from '../../../common/events/catalogue.js';
import { RecruitmentContract } from '../../../common/events/copies.js';
import type { Cra } from '../../../subgraphs/activity/entities/index.js';
import { fileCras } from '../../../subgraphs/activity/services/cra.service.js';
import type { CraInput } from '../../../subgraphs/activity/rules/cra-validation.js';
import { contractState, feed } from '../events.js';
import { uniqueId } from '../ids.js';

/** Shorthands accepted by `craInput` on top of the full input. */
export interface CraOverrides extends Partial<CraInput> {
  conseillerId: CraInput['conseillerId'];
  /** Turned into the filed `duration` (`0-30`, `30-60` or the minutes). */
  durationMinutes?: number;
}

/**
 * Makes `structureId` employ `conseillerId`, as recruitment would announce it (`contractSigned`, fed to activity's
 * copy): a CDI from 2020-01-01 unless `contract` says otherwise. Does nothing when the copy already holds a contract
 * of the advisor, so a test that set up its own contracts keeps exactly those. Returns the contract's id, if fed.
 */
export async function employ(
  orm: MikroORM,
  conseillerId: number | string,
  structureId: number | string,
  contract: Partial<ContractState> = {},
): Promise<number | null> {
  const advisor = Number(conseillerId);
  if ((await orm.em.fork().count(RecruitmentContract, { conseillerId: advisor })) > 0) return null;
  const miseEnRelationId = uniqueId();
  await feed(
    orm,
    'activity',
    contractSigned,
    miseEnRelationId,
    contractState({
      miseEnRelationId,
      conseillerId: advisor,
      structureId: Number(structureId),
      contract: { type: 'CDI', startDate: '2020-01-01', endDate: null, grossMonthlySalaryCents: 190_000 },
      ...contract,
    }),
  );
  return miseEnRelationId;
}

/** A new advisor employed by `structureId` (see `employ`); its id. */
export async function employedAdvisor(orm: MikroORM, structureId: number | string, contract: Partial<ContractState> = {}): Promise<number> {
  const conseillerId = uniqueId();
  await employ(orm, conseillerId, structureId, contract);
  return conseillerId;
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

/**
 * Files a report through the service, so the aggregates and the audit trail are kept as in production; `structureId`
 * employs the advisor first (`employ`) unless the copy already holds a contract of the advisor.
 */
export async function createCra(
  orm: MikroORM,
  { structureId, ...overrides }: CraOverrides & { structureId: number | string },
): Promise<Cra> {
  await employ(orm, overrides.conseillerId, structureId);
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
