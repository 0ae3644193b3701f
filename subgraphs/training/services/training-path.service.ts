import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, NotFoundError, QuotaExceededError } from '../../../common/errors.js';
import type { Viewer } from '../../../common/viewer.js';
import { lockRows } from '../../../common/write.js';
import { Absence, Learner, TrainingPath, type TrainingSession } from '../entities/index.js';
import { ADMINS_ONLY, OUTSIDE_REACH, learnerRow, step } from './access.js';
import { applyMinimumLearnersRule, lockSession, seatedCount } from './session.service.js';
import { assertNotFuture, cleanText } from '../rules/validation.js';
import { employerOn } from './hiring.service.js';
import {
  assertAbsenceHours,
  assertPathHours,
  assertPathTransition,
  isActivePath,
  plannedEndDate,
  type TrainingPathStatus,
} from '../rules/training.js';

/**
 * Serialises the writes about one advisor (opening a path, granting an exemption) until the transaction ends, so
 * two concurrent requests cannot both pass the "no other active path" check.
 */
export async function lockAdvisor(tx: EntityManager, conseillerId: number): Promise<void> {
  await tx.execute('select pg_advisory_xact_lock(hashtext(?), ?)', ['training.advisor', conseillerId]);
}

/**
 * A path and its session, locked in the order every training step takes them: the session, then the path (the
 * 8-learner rule updates a session's paths under the session's lock).
 */
async function lockPathInSession(
  tx: EntityManager,
  lock: (id: number) => Promise<TrainingPath>,
  id: number,
): Promise<{ path: TrainingPath; session: TrainingSession | null }> {
  const seen = await tx.findOne(TrainingPath, id, { fields: ['session'] });
  if (!seen) throw new NotFoundError('TrainingPath', id);
  const session = seen.session ? await lockSession(tx, seen.session.id) : null;
  const path = await lock(id);
  if ((path.session?.id ?? null) !== (session?.id ?? null))
    throw new ConflictError(`Path ${id} changed session meanwhile; try again.`, { field: 'trainingPathId' });
  return { path, session };
}

/** The paths of an advisor, locked after the sessions of those that hold a seat. */
export async function lockPathsOf(tx: EntityManager, conseillerId: number): Promise<TrainingPath[]> {
  const seen = await tx.find(TrainingPath, { conseillerId }, { fields: ['session'] });
  const sessionIds = [...new Set(seen.flatMap((f) => (f.session ? [f.session.id] : [])))].sort((a, b) => a - b);
  for (const sessionId of sessionIds) await lockSession(tx, sessionId);
  const paths = await lockRows(tx, TrainingPath, { conseillerId });
  if (paths.some((f) => f.session && !sessionIds.includes(f.session.id)))
    throw new ConflictError(`A path of advisor ${conseillerId} changed session meanwhile; try again.`, { field: 'conseillerId' });
  return paths;
}

export interface OpenPathInput {
  conseillerId: number;
  hours: number;
  plannedStartDate: string;
}

/**
 * Opens a TO_ENROL path from the positioning result, for an advisor hired or being hired on its planned start
 * (training's copy of recruitment's contracts, rules/hiring.ts); the advisor's learner record is created or updated
 * with the employer of that contract.
 */
export function openTrainingPath(em: EntityManager, viewer: Viewer, input: OpenPathInput): Promise<TrainingPath> {
  const check = () => assertPathHours(input.hours, input.plannedStartDate);
  return step(em, viewer, 'openTrainingPath', { check }, async ({ tx, unscoped }) => {
    unscoped(ADMINS_ONLY);
    const { conseillerId } = input;
    await lockAdvisor(tx, conseillerId);
    const territory = await employerOn(tx, conseillerId, input.plannedStartDate, 'opens a path');
    const learner = await tx.findOne(Learner, conseillerId);
    if (learner?.exemptionReason) {
      throw new ConflictError(`Advisor ${conseillerId} is exempted from initial training (${learner.exemptionReason}).`, {
        field: 'conseillerId',
      });
    }
    const active = (await lockPathsOf(tx, conseillerId)).find((f) => isActivePath(f.status));
    if (active) {
      throw new ConflictError(`Advisor ${conseillerId} already has path ${active.id} (${active.status}).`, { field: 'conseillerId' });
    }
    if (learner) tx.assign(learner, { ...territory, entryDate: input.plannedStartDate });
    else tx.create(Learner, { conseillerId, ...territory, entryDate: input.plannedStartDate });
    return tx.create(TrainingPath, {
      conseillerId,
      hours: input.hours,
      status: 'TO_ENROL',
      startDate: input.plannedStartDate,
      endDate: plannedEndDate(input.plannedStartDate, input.hours),
    });
  });
}

/** Enrols a TO_ENROL path in a session of the same length; the path takes the session's dates, rhythm and modality. */
export function enrolInSession(
  em: EntityManager,
  viewer: Viewer,
  input: { trainingPathId: number; sessionId: number },
): Promise<TrainingPath> {
  return step(em, viewer, 'enrolInSession', async ({ tx, lock, unscoped }) => {
    unscoped(ADMINS_ONLY);
    const { sessionId } = input;
    const session = await lockSession(tx, sessionId);
    const path = await lock(TrainingPath, input.trainingPathId);
    assertPathTransition(path.status, 'ENROLLED');
    if (session.hours !== path.hours) {
      throw new BadUserInputError(`Session ${sessionId} delivers ${session.hours} h paths; this path lasts ${path.hours} h.`, 'sessionId');
    }
    if ((await seatedCount(tx, sessionId)) >= session.capacity) {
      throw new QuotaExceededError(`Session ${sessionId} is full (${session.capacity} learners).`, { field: 'sessionId' });
    }
    tx.assign(path, {
      status: 'ENROLLED',
      session,
      enrolledAt: new Date(),
      startDate: session.startDate,
      endDate: session.endDate,
      rhythm: session.rhythm,
      modality: session.modality,
    });
    const learner = await tx.findOne(Learner, path.conseillerId);
    if (learner) learner.entryDate = session.startDate;
    return path;
  });
}

/** Leaves a path's (locked) session: by withdrawal (back to TO_ENROL) or by abandoning; the 8-learner rule is re-applied. */
async function leaveSession(tx: EntityManager, path: TrainingPath, session: TrainingSession | null, to: TrainingPathStatus): Promise<void> {
  path.status = to;
  if (to === 'TO_ENROL') tx.assign(path, { session: null, enrolledAt: null, rhythm: null, modality: null });
  if (!session) return;
  await tx.flush();
  await applyMinimumLearnersRule(tx, session);
}

export function withdrawFromSession(em: EntityManager, viewer: Viewer, input: { trainingPathId: number }): Promise<TrainingPath> {
  return step(em, viewer, 'withdrawFromSession', async ({ tx, lock, unscoped }) => {
    unscoped(ADMINS_ONLY);
    const { path, session } = await lockPathInSession(tx, (id) => lock(TrainingPath, id), input.trainingPathId);
    assertPathTransition(path.status, 'TO_ENROL');
    await leaveSession(tx, path, session, 'TO_ENROL');
    return path;
  });
}

/** A day a path changed status, and the path. */
export interface PathDayInput {
  trainingPathId: number;
  on: string;
}

export function startTrainingPath(em: EntityManager, viewer: Viewer, input: PathDayInput): Promise<TrainingPath> {
  return step(em, viewer, 'startTrainingPath', { check: () => assertNotFuture(input.on, 'on') }, async ({ tx, lock, unscoped }) => {
    unscoped(ADMINS_ONLY);
    const { on } = input;
    const { path, session: inSession } = await lockPathInSession(tx, (id) => lock(TrainingPath, id), input.trainingPathId);
    assertPathTransition(path.status, 'IN_PROGRESS');
    const session = inSession!;
    if (session.status !== 'CONFIRMED') {
      throw new ConflictError(`Session ${session.id} is not confirmed yet: its modality is not settled.`, { field: 'trainingPathId' });
    }
    if (on < session.startDate || on > session.endDate) {
      throw new BadUserInputError(`The path starts within its session (${session.startDate} to ${session.endDate}).`, 'on');
    }
    tx.assign(path, { status: 'IN_PROGRESS', startDate: on, modality: session.modality });
    const learner = await tx.findOne(Learner, path.conseillerId);
    if (learner) learner.entryDate = on;
    return path;
  });
}

export function completeTrainingPath(em: EntityManager, viewer: Viewer, input: PathDayInput): Promise<TrainingPath> {
  return step(em, viewer, 'completeTrainingPath', { check: () => assertNotFuture(input.on, 'on') }, async ({ lock, tx, unscoped }) => {
    unscoped(ADMINS_ONLY);
    const { on } = input;
    const path = await lock(TrainingPath, input.trainingPathId);
    assertPathTransition(path.status, 'COMPLETED');
    if (on < path.startDate) throw new BadUserInputError(`The path cannot end before it started (${path.startDate}).`, 'on');
    tx.assign(path, { status: 'COMPLETED', endDate: on });
    return path;
  });
}

export function abandonTrainingPath(
  em: EntityManager,
  viewer: Viewer,
  input: PathDayInput & { reason?: string | null },
): Promise<TrainingPath> {
  const check = () => {
    assertNotFuture(input.on, 'on');
    return cleanText(input.reason, 'reason', { max: 1000 });
  };
  return step(em, viewer, 'abandonTrainingPath', { check }, async ({ tx, lock, unscoped }, abandonReason) => {
    unscoped(ADMINS_ONLY);
    const { on } = input;
    const { path, session } = await lockPathInSession(tx, (id) => lock(TrainingPath, id), input.trainingPathId);
    assertPathTransition(path.status, 'ABANDONED');
    tx.assign(path, { abandonedOn: on, abandonReason });
    await leaveSession(tx, path, session, 'ABANDONED');
    return path;
  });
}

export interface AbsenceInput {
  trainingPathId: number;
  date: string;
  hours: number;
  justification?: string | null;
}

export function recordAbsence(em: EntityManager, viewer: Viewer, input: AbsenceInput): Promise<Absence> {
  const check = () => {
    assertNotFuture(input.date, 'date');
    const justification = cleanText(input.justification, 'justification', { max: 1000 });
    assertAbsenceHours(input.hours);
    return justification;
  };
  return step(em, viewer, 'recordAbsence', { check }, async ({ tx, lock, unscoped }, justification) => {
    unscoped(ADMINS_ONLY);
    const path = await lock(TrainingPath, input.trainingPathId);
    if (path.status !== 'IN_PROGRESS') {
      throw new ConflictError(`Absences are recorded on paths in progress; path ${path.id} is ${path.status}.`, {
        field: 'trainingPathId',
      });
    }
    if (input.date < path.startDate || input.date > path.endDate) {
      throw new BadUserInputError(`The absence must fall within the path (${path.startDate} to ${path.endDate}).`, 'date');
    }
    if (await tx.count(Absence, { trainingPath: path, date: input.date })) {
      throw new ConflictError(`An absence is already recorded on ${input.date}.`, { field: 'date' });
    }
    return tx.create(Absence, { trainingPath: path, date: input.date, hours: input.hours, justification });
  });
}

export function justifyAbsence(em: EntityManager, viewer: Viewer, input: { absenceId: number; justification: string }): Promise<Absence> {
  const check = () => cleanText(input.justification, 'justification', { max: 1000, required: true });
  return step(em, viewer, 'justifyAbsence', { check }, async ({ tx, lock, reach }, text) => {
    const absence = await lock(Absence, input.absenceId);
    const { conseillerId } = await tx.findOneOrFail(TrainingPath, absence.trainingPath.id);
    reach(learnerRow(await tx.findOne(Learner, conseillerId)), `advisor ${conseillerId}`, OUTSIDE_REACH);
    absence.justification = text;
    return absence;
  });
}
