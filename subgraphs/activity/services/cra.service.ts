import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { BadUserInputError } from '../../../common/errors.js';
import { byDate, byDateTime, keysetPage, sortOf, type Connection, type OrderBy, type PageArgs } from '../../../common/pagination.js';
import type { ReachChecks, Step } from '../../../common/steps.js';
import type { Viewer } from '../../../common/viewer.js';
import { Cra, CraAudit, Place, type CraActivityType } from '../entities/index.js';
import { RecruitmentContract } from '../../../common/events/copies.js';
import {
  MAX_BATCH,
  parseIdValue,
  validateCra,
  type CraInput,
  type CraValues,
  type Employment,
  type ItemIssue,
} from '../rules/cra-validation.js';
import { todayInFrance } from '../../../common/calendar.js';
import { auditReach, OWN_REPORTS, reportReach, step, visibleReports, withFilter } from './access.js';
import { applyAggregates, moveAggregates, refreshAdvisorActivity } from './aggregates.js';

/**
 * The employments of each advisor, from the copy of recruitment's contracts: one statement for a whole batch, however
 * many reports and advisors it holds.
 */
async function employmentsOf(em: EntityManager, conseillerIds: readonly number[]): Promise<Map<number, Employment[]>> {
  const byAdvisor = new Map<number, Employment[]>(conseillerIds.map((id) => [id, []]));
  if (conseillerIds.length === 0) return byAdvisor;
  const contracts = await em.find(
    RecruitmentContract,
    { conseillerId: { $in: [...conseillerIds] }, employedFrom: { $ne: null } },
    { fields: ['conseillerId', 'structureId', 'employedFrom', 'employedUntil'] },
  );
  for (const c of contracts)
    byAdvisor.get(c.conseillerId)!.push({ structureId: c.structureId, from: c.employedFrom!, until: c.employedUntil ?? null });
  return byAdvisor;
}

/**
 * Validates every input (rules, the advisor's employment on each date, then the places they name); all problems of
 * all items, or the values, each with the structure employing its advisor that day.
 */
async function validateAll(
  em: EntityManager,
  inputs: readonly CraInput[],
  today: string,
): Promise<{ values: CraValues[]; issues: ItemIssue[] }> {
  const values: CraValues[] = [];
  const issues: ItemIssue[] = [];
  const advisorIds = [...new Set(inputs.flatMap((input) => parseIdValue(input.conseillerId) ?? []))];
  const employments = await employmentsOf(em, advisorIds);
  inputs.forEach((input, index) => {
    const result = validateCra(input, today, employments.get(parseIdValue(input.conseillerId) ?? 0) ?? []);
    if (result.ok) values[index] = result.values;
    else issues.push(...result.issues.map((issue) => ({ index, ...issue })));
  });
  const placeIds = [...new Set(values.flatMap((v) => (v?.placeId ? [v.placeId] : [])))];
  if (placeIds.length > 0) {
    const found = new Set((await em.find(Place, { id: { $in: placeIds } }, { fields: ['id'] })).map((p) => p.id));
    values.forEach((v, index) => {
      if (v?.placeId && !found.has(v.placeId)) issues.push({ index, field: 'placeId', message: `Place ${v.placeId} does not exist.` });
    });
  }
  return { values, issues };
}

function toEntityData(em: EntityManager, { placeId, ...values }: CraValues) {
  return { ...values, place: placeId ? em.getReference(Place, placeId) : null };
}

/** Writes audit entries for `craIds` with the rows as they are now, as `before` (deletion or edit) or `after` (creation). */
async function auditRows(
  em: EntityManager,
  craIds: readonly number[],
  action: 'CREATED' | 'UPDATED' | 'DELETED',
  viewer: Viewer,
): Promise<{ id: number }[]> {
  const schema = em.config.get('schema');
  const column = action === 'CREATED' ? 'after' : 'before';
  return em.execute(
    `insert into "${schema}"."cra_audit" (cra_id, action, at, actor_id, actor_role, ${column})
     select c.id, ?, now(), ?, ?, to_jsonb(c) from "${schema}"."cra" c where c.id in (?) order by c.id returning id`,
    [action, viewer.id, viewer.role, [...craIds]],
  );
}

/** `today` bounds the reports' dates (default: today in France); scripts filing past data fix it. */
interface Dated {
  today?: string;
}
export interface FileCrasInput extends Dated {
  cras: readonly CraInput[];
}
export interface FileCraInput extends Dated {
  cra: CraInput;
}
export interface UpdateCraInput extends Dated {
  id: number;
  cra: CraInput;
}

/** A batch's size, checked before the transaction. */
function checkBatch(inputs: readonly CraInput[]): void {
  if (inputs.length === 0 || inputs.length > MAX_BATCH)
    throw new BadUserInputError(`A batch holds 1 to ${MAX_BATCH} reports.`, 'input.cras');
}

/**
 * Each report is its advisor's own: checked on the input, before the transaction and before validation, so a
 * refused caller learns nothing of another advisor's employment from the problems found. An id that does not parse
 * is a problem of the validation.
 */
function checkAdvisors({ reach }: ReachChecks, inputs: readonly CraInput[]): void {
  for (const id of new Set(inputs.flatMap((input) => parseIdValue(input.conseillerId) ?? [])))
    reach({ conseiller: id }, `advisor ${id}`, OWN_REPORTS);
}

/** The body of both filing steps: all the reports or none, each the viewer's own. */
async function fileAll({ tx, viewer }: Step, inputs: readonly CraInput[], today: string): Promise<Cra[]> {
  const { values, issues } = await validateAll(tx, inputs, today);
  if (issues.length > 0) {
    const invalid = new Set(issues.map((i) => i.index)).size;
    throw new BadUserInputError(`${invalid} of ${inputs.length} reports are invalid; none was filed.`, 'input.cras', { items: issues });
  }
  const cras = values.map((v) => tx.create(Cra, toEntityData(tx, v)));
  await tx.flush();
  const ids = cras.map((c) => c.id);
  await applyAggregates(tx, ids, 1);
  await auditRows(tx, ids, 'CREATED', viewer);
  await refreshAdvisorActivity(
    tx,
    cras.map((c) => c.conseillerId),
  );
  return cras;
}

/**
 * Files reports in one transaction: all of them or none. An invalid batch fails with BAD_USER_INPUT whose
 * `extensions.items` lists, per report (`index`), the field at fault and why.
 */
export function fileCras(em: EntityManager, viewer: Viewer, { cras, today = todayInFrance() }: FileCrasInput): Promise<Cra[]> {
  const check = (checks: ReachChecks) => {
    checkBatch(cras);
    checkAdvisors(checks, cras);
  };
  return step(em, viewer, 'fileCras', { check }, (s) => fileAll(s, cras, today));
}

/** Files one report; a problem is BAD_USER_INPUT naming the field (`input.<field>`). */
export async function fileCra(em: EntityManager, viewer: Viewer, { cra, today = todayInFrance() }: FileCraInput): Promise<Cra> {
  try {
    const [filed] = await step(em, viewer, 'fileCra', { check: (checks) => checkAdvisors(checks, [cra]) }, (s) => fileAll(s, [cra], today));
    return filed!;
  } catch (error) {
    throw singleItemError(error, 'input');
  }
}

/** The first problem of a one-report input as the error, naming its field under `prefix`. */
function singleItemError(error: unknown, prefix: string): unknown {
  const items = error instanceof BadUserInputError ? (error.extensions.items as ItemIssue[] | undefined) : undefined;
  if (!items?.length) return error;
  return new BadUserInputError(items[0]!.message, `${prefix}.${items[0]!.field}`, { items });
}

/**
 * Replaces a report's content; its advisor cannot change, its structure is derived again for the new date. The
 * aggregates move from the old content to the new.
 */
export function updateCra(em: EntityManager, viewer: Viewer, { id, cra: input, today = todayInFrance() }: UpdateCraInput): Promise<Cra> {
  const schema = em.config.get('schema');
  return step(em, viewer, 'updateCra', async ({ tx, lock, reach }) => {
    // Locked, so two concurrent edits move the aggregates one after the other.
    const cra = await lock(Cra, id);
    reach({ conseiller: cra.conseillerId }, `advisor ${cra.conseillerId}`, OWN_REPORTS);
    // Before validation: the problems found are then about the viewer's own advisor (a malformed id is one of them).
    const advisor = parseIdValue(input.conseillerId);
    if (advisor !== null && advisor !== cra.conseillerId)
      throw new BadUserInputError("A report's advisor cannot change.", 'input.cra.conseillerId');
    const { values, issues } = await validateAll(tx, [input], today);
    if (issues.length > 0) throw singleItemError(new BadUserInputError('invalid report', 'input.cra', { items: issues }), 'input.cra');
    const [audit] = await auditRows(tx, [id], 'UPDATED', viewer);
    tx.assign(cra, toEntityData(tx, values[0]!));
    await tx.flush();
    await moveAggregates(tx, audit!.id, id);
    await tx.execute(
      `update "${schema}"."cra_audit" a set after = to_jsonb(c) from "${schema}"."cra" c where a.id = ? and c.id = a.cra_id`,
      [audit!.id],
    );
    await refreshAdvisorActivity(tx, [cra.conseillerId]);
    return cra;
  });
}

/** Deletes a report; its audit trail keeps what it held. */
export function deleteCra(em: EntityManager, viewer: Viewer, { id }: { id: number }): Promise<number> {
  return step(em, viewer, 'deleteCra', async ({ tx, lock, reach }) => {
    const cra = await lock(Cra, id);
    reach({ conseiller: cra.conseillerId }, `advisor ${cra.conseillerId}`, OWN_REPORTS);
    await auditRows(tx, [id], 'DELETED', viewer);
    await applyAggregates(tx, [id], -1);
    await tx.nativeDelete(Cra, { id });
    await refreshAdvisorActivity(tx, [cra.conseillerId]);
    return id;
  });
}

/** The audit trail of each report, oldest first, as far as the viewer sees it (one statement for all of them). */
export async function auditTrails(em: EntityManager, viewer: Viewer, craIds: readonly number[]): Promise<Map<number, CraAudit[]>> {
  const reach = auditReach(viewer, 'a');
  const rows = await em
    .execute<Record<string, unknown>[]>(
      `select a.* from "${em.config.get('schema')}"."cra_audit" a where a.cra_id in (?)${reach ? ` and ${reach.sql}` : ''} order by a.id`,
      [[...craIds], ...(reach?.params ?? [])],
    )
    .then((found) => found.map((row) => em.map(CraAudit, row)));
  const byCra = new Map<number, CraAudit[]>(craIds.map((id) => [id, []]));
  for (const row of rows) byCra.get(row.craId)?.push(row);
  return byCra;
}

/**
 * The latest `last` reports of each advisor (or structure), in one statement for all of them (a window per key), so
 * a list of advisors never costs one query each.
 */
export async function latestCras(
  em: EntityManager,
  viewer: Viewer,
  { by, keys, last }: { by: 'conseiller_id' | 'structure_id'; keys: readonly number[]; last: number },
): Promise<Map<number, Cra[]>> {
  const meta = em.getMetadata().get(Cra);
  const table = `"${em.config.get('schema')}"."${meta.tableName}"`;
  // Ranked among the visible reports only, so a viewer gets its own latest `last`, not what is left of everyone's.
  const reach = reportReach(viewer, 'c');
  const rows = await em.execute<Record<string, unknown>[]>(
    `select * from (select c.*, row_number() over (partition by c.${by} order by c.date desc, c.id desc) as rank
       from ${table} c where c.${by} in (?)${reach ? ` and ${reach.sql}` : ''}) ranked where rank <= ? order by ${by}, date desc, id desc`,
    [[...keys], ...(reach?.params ?? []), last],
  );
  const byKey = new Map<number, Cra[]>(keys.map((id) => [id, []]));
  for (const row of rows) {
    const { rank: _rank, ...columns } = row;
    const cra = em.map(Cra, columns);
    byKey.get(by === 'conseiller_id' ? cra.conseillerId : cra.structureId)?.push(cra);
  }
  return byKey;
}

export interface CraListFilter {
  conseillerId?: number | null;
  structureId?: number | null;
  placeId?: number | null;
  from?: string | null;
  to?: string | null;
  activityType?: readonly CraActivityType[] | null;
}

export interface CraListArgs extends PageArgs {
  filter: CraListFilter;
  orderBy?: OrderBy<'DATE' | 'CREATED_AT'> | null;
}

/** Reports matching the filter and visible to the viewer, by keyset (default: newest first, by date then id). */
export async function listCras(em: EntityManager, viewer: Viewer, { filter, orderBy, ...page }: CraListArgs): Promise<Connection<Cra>> {
  if (filter.conseillerId == null && filter.structureId == null && filter.placeId == null) {
    // Unbounded national listings are what the statistics are for; a list needs a scope with an index.
    throw new BadUserInputError('Filter reports by conseillerId, structureId or placeId.', 'filter');
  }
  const where: FilterQuery<Cra> = {};
  if (filter.conseillerId != null) where.conseillerId = filter.conseillerId;
  if (filter.structureId != null) where.structureId = filter.structureId;
  if (filter.placeId != null) where.place = filter.placeId;
  if (filter.activityType?.length) where.activityType = { $in: [...filter.activityType] };
  if (filter.from || filter.to) where.date = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lte: filter.to } : {}) };
  const sort = sortOf<Cra, 'DATE' | 'CREATED_AT'>(
    orderBy,
    { DATE: (direction) => byDate('date', direction), CREATED_AT: (direction) => byDateTime('createdAt', direction) },
    { field: 'DATE', direction: 'DESC' },
  );
  return keysetPage(em, Cra, withFilter(where, visibleReports<Cra>(viewer)), sort, page);
}
