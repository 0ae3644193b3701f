import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, NotFoundError, QuotaExceededError } from '../../../common/errors.js';
import { parseId } from '../../../common/ids.js';
import type { Viewer } from '../../../common/viewer.js';
import { lockRow, lockRows, writeStep } from '../../../common/write.js';
import { Absence, Formation, Learner, type TrainingSession } from '../entities/index.js';
import { assertMayTake, assertWithinReach } from './access.js';
import { applyMinimumLearnersRule, lockSession, seatedCount } from './session.service.js';
import { assertNotFuture, cleanText, parseTerritory } from './territory.js';
import {
  MAX_ABSENCE_HOURS_PER_DAY,
  assertPathHours,
  assertPathTransition,
  isActivePath,
  plannedEndDate,
  type FormationStatus,
} from './training.rules.js';

/**
 * Serialises the writes about one advisor (opening a path, granting an exemption) until the transaction ends, so
 * two concurrent requests cannot both pass the "no other active path" check.
 */
export async function lockAdvisor(tx: EntityManager, conseillerId: number): Promise<void> {
  await tx.execute('select pg_advisory_xact_lock(hashtext(?), ?)', ['training.advisor', conseillerId]);
}

/** A path, locked and read afresh. */
function lockFormation(tx: EntityManager, id: string, field = 'formationId'): Promise<Formation> {
  return lockRow(tx, Formation, parseId(id, field));
}

/**
 * A path and its session, locked in the order every training step takes them: the session, then the path (the
 * 8-learner rule updates a session's paths under the session's lock).
 */
async function lockPathInSession(tx: EntityManager, id: string): Promise<{ formation: Formation; session: TrainingSession | null }> {
  const formationId = parseId(id, 'formationId');
  const seen = await tx.findOne(Formation, formationId, { fields: ['session'] });
  if (!seen) throw new NotFoundError('Formation', formationId);
  const session = seen.session ? await lockSession(tx, seen.session.id) : null;
  const formation = await lockRow(tx, Formation, formationId);
  if ((formation.session?.id ?? null) !== (session?.id ?? null))
    throw new ConflictError(`Path ${formationId} changed session meanwhile; try again.`, { field: 'formationId' });
  return { formation, session };
}

/** The paths of an advisor, locked after the sessions of those that hold a seat. */
export async function lockPathsOf(tx: EntityManager, conseillerId: number): Promise<Formation[]> {
  const seen = await tx.find(Formation, { conseillerId }, { fields: ['session'] });
  const sessionIds = [...new Set(seen.flatMap((f) => (f.session ? [f.session.id] : [])))].sort((a, b) => a - b);
  for (const sessionId of sessionIds) await lockSession(tx, sessionId);
  const formations = await lockRows(tx, Formation, { conseillerId });
  if (formations.some((f) => f.session && !sessionIds.includes(f.session.id)))
    throw new ConflictError(`A path of advisor ${conseillerId} changed session meanwhile; try again.`, { field: 'conseillerId' });
  return formations;
}

export interface OpenPathInput {
  conseillerId: string;
  structureId: string;
  departementCode: string;
  regionCode: string;
  hours: number;
  plannedStartDate: string;
}

/** Opens a TO_ENROL path from the positioning result; the advisor's learner record is created or updated. */
export async function openTrainingPath(em: EntityManager, viewer: Viewer, input: OpenPathInput): Promise<Formation> {
  assertMayTake(viewer, 'openTrainingPath');
  const conseillerId = parseId(input.conseillerId, 'conseillerId');
  const territory = parseTerritory(input);
  assertPathHours(input.hours, input.plannedStartDate);
  return writeStep(em, async (tx) => {
    await lockAdvisor(tx, conseillerId);
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
    return tx.create(Formation, {
      conseillerId,
      hours: input.hours,
      status: 'TO_ENROL',
      startDate: input.plannedStartDate,
      endDate: plannedEndDate(input.plannedStartDate, input.hours),
    });
  });
}

/** Enrols a TO_ENROL path in a session of the same length; the path takes the session's dates, rhythm and modality. */
export async function enrolInSession(em: EntityManager, viewer: Viewer, formationId: string, sessionId: string): Promise<Formation> {
  assertMayTake(viewer, 'enrolInSession');
  const sid = parseId(sessionId, 'sessionId');
  return writeStep(em, async (tx) => {
    const session = await lockSession(tx, sid);
    const formation = await lockFormation(tx, formationId);
    assertPathTransition(formation.status, 'ENROLLED');
    if (session.hours !== formation.hours) {
      throw new BadUserInputError(`Session ${sid} delivers ${session.hours} h paths; this path lasts ${formation.hours} h.`, 'sessionId');
    }
    if ((await seatedCount(tx, sid)) >= session.capacity) {
      throw new QuotaExceededError(`Session ${sid} is full (${session.capacity} learners).`, { field: 'sessionId' });
    }
    tx.assign(formation, {
      status: 'ENROLLED',
      session,
      enrolledAt: new Date(),
      startDate: session.startDate,
      endDate: session.endDate,
      rhythm: session.rhythm,
      modality: session.modality,
    });
    const learner = await tx.findOne(Learner, formation.conseillerId);
    if (learner) learner.entryDate = session.startDate;
    return formation;
  });
}

/** Leaves a path's (locked) session: by withdrawal (back to TO_ENROL) or by abandoning; the 8-learner rule is re-applied. */
async function leaveSession(tx: EntityManager, formation: Formation, session: TrainingSession | null, to: FormationStatus): Promise<void> {
  formation.status = to;
  if (to === 'TO_ENROL') tx.assign(formation, { session: null, enrolledAt: null, rhythm: null, modality: null });
  if (!session) return;
  await tx.flush();
  await applyMinimumLearnersRule(tx, session);
}

export async function withdrawFromSession(em: EntityManager, viewer: Viewer, formationId: string): Promise<Formation> {
  assertMayTake(viewer, 'withdrawFromSession');
  return writeStep(em, async (tx) => {
    const { formation, session } = await lockPathInSession(tx, formationId);
    assertPathTransition(formation.status, 'TO_ENROL');
    await leaveSession(tx, formation, session, 'TO_ENROL');
    return formation;
  });
}

export async function startTrainingPath(em: EntityManager, viewer: Viewer, formationId: string, on: string): Promise<Formation> {
  assertMayTake(viewer, 'startTrainingPath');
  assertNotFuture(on, 'on');
  return writeStep(em, async (tx) => {
    const { formation, session: inSession } = await lockPathInSession(tx, formationId);
    assertPathTransition(formation.status, 'IN_PROGRESS');
    const session = inSession!;
    if (session.status !== 'CONFIRMED') {
      throw new ConflictError(`Session ${session.id} is not confirmed yet: its modality is not settled.`, { field: 'formationId' });
    }
    if (on < session.startDate || on > session.endDate) {
      throw new BadUserInputError(`The path starts within its session (${session.startDate} to ${session.endDate}).`, 'on');
    }
    tx.assign(formation, { status: 'IN_PROGRESS', startDate: on, modality: session.modality });
    const learner = await tx.findOne(Learner, formation.conseillerId);
    if (learner) learner.entryDate = on;
    return formation;
  });
}

export async function completeTrainingPath(em: EntityManager, viewer: Viewer, formationId: string, on: string): Promise<Formation> {
  assertMayTake(viewer, 'completeTrainingPath');
  assertNotFuture(on, 'on');
  return writeStep(em, async (tx) => {
    const formation = await lockFormation(tx, formationId);
    assertPathTransition(formation.status, 'COMPLETED');
    if (on < formation.startDate) throw new BadUserInputError(`The path cannot end before it started (${formation.startDate}).`, 'on');
    tx.assign(formation, { status: 'COMPLETED', endDate: on });
    return formation;
  });
}

export async function abandonTrainingPath(
  em: EntityManager,
  viewer: Viewer,
  formationId: string,
  on: string,
  reason?: string | null,
): Promise<Formation> {
  assertMayTake(viewer, 'abandonTrainingPath');
  assertNotFuture(on, 'on');
  const abandonReason = cleanText(reason, 'reason', { max: 1000 });
  return writeStep(em, async (tx) => {
    const { formation, session } = await lockPathInSession(tx, formationId);
    assertPathTransition(formation.status, 'ABANDONED');
    tx.assign(formation, { abandonedOn: on, abandonReason });
    await leaveSession(tx, formation, session, 'ABANDONED');
    return formation;
  });
}

export interface AbsenceInput {
  formationId: string;
  date: string;
  hours: number;
  justification?: string | null;
}

export async function recordAbsence(em: EntityManager, viewer: Viewer, input: AbsenceInput): Promise<Absence> {
  assertMayTake(viewer, 'recordAbsence');
  assertNotFuture(input.date, 'date');
  const justification = cleanText(input.justification, 'justification', { max: 1000 });
  if (!Number.isInteger(input.hours) || input.hours < 1 || input.hours > MAX_ABSENCE_HOURS_PER_DAY) {
    throw new BadUserInputError(`An absence lasts 1 to ${MAX_ABSENCE_HOURS_PER_DAY} hours of a training day.`, 'hours');
  }
  return writeStep(em, async (tx) => {
    const formation = await lockFormation(tx, input.formationId);
    if (formation.status !== 'IN_PROGRESS') {
      throw new ConflictError(`Absences are recorded on paths in progress; path ${formation.id} is ${formation.status}.`, {
        field: 'formationId',
      });
    }
    if (input.date < formation.startDate || input.date > formation.endDate) {
      throw new BadUserInputError(`The absence must fall within the path (${formation.startDate} to ${formation.endDate}).`, 'date');
    }
    if (await tx.count(Absence, { formation, date: input.date })) {
      throw new ConflictError(`An absence is already recorded on ${input.date}.`, { field: 'date' });
    }
    return tx.create(Absence, { formation, date: input.date, hours: input.hours, justification });
  });
}

export async function justifyAbsence(em: EntityManager, viewer: Viewer, absenceId: string, justification: string): Promise<Absence> {
  assertMayTake(viewer, 'justifyAbsence');
  const id = parseId(absenceId, 'absenceId');
  const text = cleanText(justification, 'justification', { max: 1000, required: true });
  return writeStep(em, async (tx) => {
    const absence = await lockRow(tx, Absence, id);
    const { conseillerId } = await tx.findOneOrFail(Formation, absence.formation.id);
    assertWithinReach(viewer, await tx.findOne(Learner, conseillerId), conseillerId, 'justifyAbsence');
    absence.justification = text;
    return absence;
  });
}
