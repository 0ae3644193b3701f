import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { BadUserInputError, ConflictError, NotFoundError } from '../../../common/errors.js';
import { byDate, byId, keysetPage, sortOf, type OrderBy, type PageArgs } from '../../../common/pagination.js';
import type { Viewer } from '../../../common/viewer.js';
import { lockRow } from '../../../common/write.js';
import { ContractLot, TrainingPath, TrainingSession } from '../entities/index.js';
import {
  PATH_HOURS,
  SEATED_STATUSES,
  type SessionStatus,
  assertSessionCapacity,
  effectiveModality,
  type TrainingModality,
  type TrainingRhythm,
} from '../rules/training.js';
import { ADMINS_ONLY, step, visibleRows, withFilter } from './access.js';
import { assertDepartementCode, cleanText } from '../rules/validation.js';

export interface CreateSessionInput {
  lotId: number;
  place: string;
  departementCode: string;
  startDate: string;
  endDate: string;
  hours: number;
  rhythm: TrainingRhythm;
  modality: TrainingModality;
  capacity: number;
}

export function createSession(em: EntityManager, viewer: Viewer, input: CreateSessionInput): Promise<TrainingSession> {
  const check = () => {
    const place = cleanText(input.place, 'place', { max: 255, required: true })!;
    assertDepartementCode(input.departementCode);
    if (input.endDate < input.startDate) throw new BadUserInputError('The session cannot end before it starts.', 'endDate');
    assertSessionCapacity(input.capacity);
    return place;
  };
  return step(em, viewer, 'createTrainingSession', { check }, async ({ tx, unscoped }, place) => {
    unscoped(ADMINS_ONLY);
    const { lotId } = input;
    const lot = await tx.findOne(ContractLot, lotId);
    if (!lot) throw new NotFoundError('ContractLot', lotId);
    if (input.startDate < lot.startDate || input.endDate > lot.endDate) {
      throw new BadUserInputError(`The session must fall within its lot (${lot.startDate} to ${lot.endDate}).`, 'startDate');
    }
    if (!PATH_HOURS[lot.contract].includes(input.hours)) {
      throw new BadUserInputError(`Paths of ${lot.contract} last ${PATH_HOURS[lot.contract].join(', ')} hours.`, 'hours');
    }
    return tx.create(TrainingSession, {
      lot,
      place,
      departementCode: input.departementCode,
      startDate: input.startDate,
      endDate: input.endDate,
      hours: input.hours,
      rhythm: input.rhythm,
      plannedModality: input.modality,
      modality: input.modality,
      capacity: input.capacity,
      status: 'PLANNED',
    });
  });
}

/**
 * The session row, locked until the transaction ends so that concurrent enrolments see each other's seats. A
 * session is locked before its paths (the 8-learner rule updates them under it).
 */
export function lockSession(tx: EntityManager, id: number): Promise<TrainingSession> {
  return lockRow(tx, TrainingSession, id);
}

export function seatedCount(tx: EntityManager, sessionId: number): Promise<number> {
  return tx.count(TrainingPath, { session: sessionId, status: { $in: [...SEATED_STATUSES] } });
}

/** Seats taken in each of some sessions, in one statement (sessions without any are absent from the map). */
export async function seatCounts(em: EntityManager, sessionIds: readonly number[]): Promise<Map<number, number>> {
  const rows = await em
    .createQueryBuilder(TrainingPath, 'f')
    .select(['f.session', raw('count(*)::int as seats')] as never)
    .where({ session: { $in: [...sessionIds] }, status: { $in: [...SEATED_STATUSES] } })
    .groupBy('f.session')
    .execute<{ session: number; seats: number }[]>('all');
  return new Map(rows.map((r) => [r.session, r.seats]));
}

/**
 * The 8-learner rule on a confirmed session: in person with fewer than 8 seated learners, the session and its
 * learners still in training switch to remote. A remote session never switches back.
 */
export async function applyMinimumLearnersRule(tx: EntityManager, session: TrainingSession): Promise<void> {
  if (session.status !== 'CONFIRMED' || session.modality === 'REMOTE') return;
  const modality = effectiveModality(session.modality, await seatedCount(tx, session.id));
  if (modality === session.modality) return;
  session.modality = modality;
  await tx.nativeUpdate(TrainingPath, { session: session.id, status: { $in: ['ENROLLED', 'IN_PROGRESS'] } }, { modality });
}

export function confirmSession(em: EntityManager, viewer: Viewer, input: { sessionId: number }): Promise<TrainingSession> {
  return step(em, viewer, 'confirmTrainingSession', async ({ tx, unscoped }) => {
    unscoped(ADMINS_ONLY);
    const { sessionId } = input;
    const session = await lockSession(tx, sessionId);
    if (session.status !== 'PLANNED') throw new ConflictError(`Session ${sessionId} is already confirmed.`, { field: 'sessionId' });
    session.status = 'CONFIRMED';
    session.confirmedAt = new Date();
    await applyMinimumLearnersRule(tx, session);
    return session;
  });
}

export interface SessionListArgs extends PageArgs {
  filter?: {
    departementCode?: string | null;
    status?: readonly SessionStatus[] | null;
    startingFrom?: string | null;
    hours?: number | null;
    lotId?: number | null;
  } | null;
  orderBy?: OrderBy<'START_DATE' | 'ID'> | null;
}

/** Sessions the viewer sees, by keyset (default: by start date then id). */
export async function listSessions(em: EntityManager, viewer: Viewer, { filter: given, orderBy, ...page }: SessionListArgs) {
  const filter: FilterQuery<TrainingSession> = {};
  if (given?.departementCode) filter.departementCode = given.departementCode;
  if (given?.status?.length) filter.status = { $in: [...given.status] };
  if (given?.startingFrom) filter.startDate = { $gte: given.startingFrom };
  if (given?.hours) filter.hours = given.hours;
  if (given?.lotId) filter.lot = given.lotId;
  const sort = sortOf<TrainingSession, 'START_DATE' | 'ID'>(
    orderBy,
    { START_DATE: (direction) => byDate('startDate', direction), ID: (direction) => byId(direction) },
    { field: 'START_DATE', direction: 'ASC' },
  );
  return keysetPage(em, TrainingSession, withFilter(filter, visibleRows<TrainingSession>(em, viewer, 'session')), sort, page);
}
