import { defineEntity, LockMode, p } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NETWORKS, STRUCTURE_STATUSES, STRUCTURE_TYPES } from '../demo/world.js';
import type { IsoDate } from '../calendar.js';
import type { SubgraphName } from '../env.js';
import { CONTRACT_TYPES, MISE_EN_RELATION_STATUSES, PHASES, SECTORS } from '../programme.js';
import {
  CONTRACT_EVENTS,
  employmentPeriod,
  STRUCTURE_EVENTS,
  type ContractEvent,
  type ContractState,
  type StructureEvent,
  type StructureState,
} from './catalogue.js';
import { defineConsumer, type Consumer } from './inbox.js';

/**
 * The copies other subgraphs keep of what recruitment owns (README, Domain events): its structures and its
 * contracts, one row per structure and per mise en relation, in each consuming subgraph's own schema. Written only
 * by the consumers below from recruitment's events, never by hand: a rule of conventions, training or activity
 * that needs a structure's status or who is employed where reads them, not recruitment's tables.
 *
 * Each row keeps the outbox sequence of the event it was built from; an older event (a late redelivery, a replay
 * overtaken by news) changes nothing.
 */

export const RecruitmentStructureSchema = defineEntity({
  name: 'RecruitmentStructure',
  tableName: 'recruitment_structure',
  // In every consuming subgraph's schema, as the inbox.
  schema: '*',
  properties: {
    structureId: p.integer().primary().autoincrement(false),
    name: p.string(),
    type: p.enum(STRUCTURE_TYPES),
    sector: p.enum(SECTORS),
    status: p.enum(STRUCTURE_STATUSES),
    network: p.enum(NETWORKS).nullable(),
    departementCode: p.string().length(3).index(),
    regionCode: p.string().length(3),
    communeCode: p.string().length(5),
    advisorPosts: p.integer(),
    coordinatorPosts: p.integer(),
    phase: p.enum(PHASES),
    isZrr: p.boolean(),
    isQpv: p.boolean(),
    sequence: p.bigint('number').nullable(),
    updatedAt: p.datetime(),
  },
});
export class RecruitmentStructure extends RecruitmentStructureSchema.class {}
RecruitmentStructureSchema.setClass(RecruitmentStructure);

export const RecruitmentContractSchema = defineEntity({
  name: 'RecruitmentContract',
  tableName: 'recruitment_contract',
  schema: '*',
  properties: {
    miseEnRelationId: p.integer().primary().autoincrement(false),
    conseillerId: p.integer().index(),
    structureId: p.integer().index(),
    status: p.enum(MISE_EN_RELATION_STATUSES),
    phase: p.enum(PHASES),
    coordinator: p.boolean(),
    contractType: p.enum(CONTRACT_TYPES).nullable(),
    startDate: p.date().nullable(),
    endDate: p.date().nullable(),
    grossMonthlySalaryCents: p.integer().nullable(),
    ruptureDate: p.date().nullable(),
    renewalOfId: p.integer().nullable(),
    /** The days it employs its advisor (catalogue.ts `employmentPeriod`), null when it employs nobody; kept to query on. */
    employedFrom: p.date().nullable(),
    employedUntil: p.date().nullable(),
    sequence: p.bigint('number').nullable(),
    updatedAt: p.datetime(),
  },
});
export class RecruitmentContract extends RecruitmentContractSchema.class {}
RecruitmentContractSchema.setClass(RecruitmentContract);

/** The entities of the copies, for the ORM of a subgraph that keeps them (its migrations create the tables). */
export const COPY_ENTITIES = [RecruitmentStructure, RecruitmentContract];

/** Whether an event of `sequence` is newer than the row built so far (no sequence: fed by hand in a test, news). */
function isNews(row: { sequence?: number | null } | null, sequence: number | undefined): boolean {
  return !row || row.sequence == null || sequence == null || sequence > row.sequence;
}

/** Applies a structure's state; the copy before the change (null when new), or undefined when the event was old news. */
export async function copyStructure(
  tx: EntityManager,
  state: StructureState,
  sequence: number | undefined,
): Promise<{ before: StructureState | null; row: RecruitmentStructure } | undefined> {
  const row = await tx.findOne(RecruitmentStructure, state.structureId, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!isNews(row, sequence)) return undefined;
  const before = row ? structureStateOfCopy(row) : null;
  const values = { ...state, sequence: sequence ?? null, updatedAt: new Date() };
  const written = row ? Object.assign(row, values) : tx.create(RecruitmentStructure, values);
  await tx.flush();
  return { before, row: written };
}

/** Applies a contract's state; the copy before the change (null when new), or undefined when the event was old news. */
export async function copyContract(
  tx: EntityManager,
  state: ContractState,
  sequence: number | undefined,
): Promise<{ before: ContractState | null; row: RecruitmentContract } | undefined> {
  const row = await tx.findOne(RecruitmentContract, state.miseEnRelationId, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!isNews(row, sequence)) return undefined;
  const before = row ? contractStateOfCopy(row) : null;
  const period = employmentPeriod(state);
  const values = {
    miseEnRelationId: state.miseEnRelationId,
    conseillerId: state.conseillerId,
    structureId: state.structureId,
    status: state.status,
    phase: state.phase,
    coordinator: state.coordinator,
    contractType: state.contract?.type ?? null,
    startDate: state.contract?.startDate ?? null,
    endDate: state.contract?.endDate ?? null,
    grossMonthlySalaryCents: state.contract?.grossMonthlySalaryCents ?? null,
    ruptureDate: state.ruptureDate,
    renewalOfId: state.renewalOfId,
    employedFrom: period?.start ?? null,
    employedUntil: period?.end ?? null,
    sequence: sequence ?? null,
    updatedAt: new Date(),
  };
  const written = row ? Object.assign(row, values) : tx.create(RecruitmentContract, values);
  await tx.flush();
  return { before, row: written };
}

export function structureStateOfCopy(row: RecruitmentStructure): StructureState {
  return {
    structureId: row.structureId,
    name: row.name,
    type: row.type,
    sector: row.sector,
    status: row.status,
    network: row.network ?? null,
    departementCode: row.departementCode,
    regionCode: row.regionCode,
    communeCode: row.communeCode,
    advisorPosts: row.advisorPosts,
    coordinatorPosts: row.coordinatorPosts,
    phase: row.phase,
    isZrr: row.isZrr,
    isQpv: row.isQpv,
  };
}

export function contractStateOfCopy(row: RecruitmentContract): ContractState {
  return {
    miseEnRelationId: row.miseEnRelationId,
    conseillerId: row.conseillerId,
    structureId: row.structureId,
    status: row.status,
    phase: row.phase,
    coordinator: row.coordinator,
    contract:
      row.contractType && row.startDate
        ? {
            type: row.contractType,
            startDate: row.startDate,
            endDate: row.endDate ?? null,
            grossMonthlySalaryCents: row.grossMonthlySalaryCents ?? null,
          }
        : null,
    ruptureDate: row.ruptureDate ?? null,
    renewalOfId: row.renewalOfId ?? null,
  };
}

/**
 * The consumers that keep a subgraph's copies: `<subgraph>.recruitment-structures` and
 * `<subgraph>.recruitment-contracts`. They come first in the subgraph's list, so its own effects of the same event
 * see the copy already updated.
 */
export function copyConsumers(subgraph: SubgraphName, which: { structures?: boolean; contracts?: boolean }): Consumer[] {
  const consumers: Consumer[] = [];
  if (which.structures)
    consumers.push(
      defineConsumer<StructureEvent>({
        name: `${subgraph}.recruitment-structures`,
        subgraph,
        events: STRUCTURE_EVENTS,
        handle: async (tx, state, envelope) => void (await copyStructure(tx, state, envelope.sequence)),
      }) as Consumer,
    );
  if (which.contracts)
    consumers.push(
      defineConsumer<ContractEvent>({
        name: `${subgraph}.recruitment-contracts`,
        subgraph,
        events: CONTRACT_EVENTS,
        handle: async (tx, state, envelope) => void (await copyContract(tx, state, envelope.sequence)),
      }) as Consumer,
    );
  return consumers;
}

/**
 * The contracts that employ `conseillerId` on `date` (at most one in practice: a renewal starts when the contract it
 * renews ends), from the copy.
 */
export function contractsEmployingOn(em: EntityManager, conseillerId: number, date: IsoDate): Promise<RecruitmentContract[]> {
  return em.find(
    RecruitmentContract,
    { conseillerId, employedFrom: { $lte: date }, $or: [{ employedUntil: null }, { employedUntil: { $gte: date } }] },
    { orderBy: { employedFrom: 'desc' } },
  );
}
