import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, InvalidStatusTransitionError, NotFoundError } from '../../../common/errors.js';
import type { Viewer } from '../../../common/viewer.js';
import { Learner, ModuleRegistration, ThematicModule } from '../entities/index.js';
import { OUTSIDE_REACH, learnerRow, step } from './access.js';
import { lockAdvisor } from './training-path.service.js';
import { today } from '../../../common/calendar.js';
import { MODULES_START } from '../rules/training.js';

export function listModules(em: EntityManager, offeredIn?: number | null): Promise<ThematicModule[]> {
  return em.find(ThematicModule, offeredIn ? { offeredFrom: { $lte: offeredIn } } : {}, { orderBy: { code: 'asc' } });
}

export function registerForModule(
  em: EntityManager,
  viewer: Viewer,
  input: { conseillerId: number; moduleId: number; date: string },
): Promise<ModuleRegistration> {
  const check = () => {
    if (input.date < MODULES_START) throw new BadUserInputError(`Thematic modules run from ${MODULES_START}.`, 'date');
  };
  return step(em, viewer, 'registerForModule', { check }, async ({ tx, reach }) => {
    const { conseillerId, moduleId, date } = input;
    // One registration per advisor, module and day, even when two arrive at once.
    await lockAdvisor(tx, conseillerId);
    const [learner, module, duplicate] = await Promise.all([
      tx.findOne(Learner, conseillerId),
      tx.findOne(ThematicModule, moduleId),
      tx.count(ModuleRegistration, { conseillerId, module: moduleId, date }),
    ]);
    reach(learnerRow(learner), `advisor ${conseillerId}`, OUTSIDE_REACH);
    if (!learner) throw new BadUserInputError(`Advisor ${conseillerId} has not entered training (no path, no exemption).`, 'conseillerId');
    if (!module) throw new NotFoundError('ThematicModule', moduleId);
    if (Number(date.slice(0, 4)) < module.offeredFrom) {
      throw new BadUserInputError(`Module ${module.code} is offered from ${module.offeredFrom}.`, 'date');
    }
    if (duplicate)
      throw new ConflictError(`Advisor ${conseillerId} is already registered for ${module.code} on ${date}.`, { field: 'date' });
    return tx.create(ModuleRegistration, { conseillerId, module, date, status: 'REGISTERED' });
  });
}

export function recordModuleAttendance(
  em: EntityManager,
  viewer: Viewer,
  input: { registrationId: number; attended: boolean },
): Promise<ModuleRegistration> {
  return step(em, viewer, 'recordModuleAttendance', async ({ tx, lock, reach }) => {
    const registration = await lock(ModuleRegistration, input.registrationId);
    reach(learnerRow(await tx.findOne(Learner, registration.conseillerId)), `advisor ${registration.conseillerId}`, OUTSIDE_REACH);
    if (registration.date > today()) throw new BadUserInputError(`Module day ${registration.date} has not come yet.`, 'registrationId');
    const status = input.attended ? 'ATTENDED' : 'ABSENT';
    // Attendance is recorded once; a registration marked ATTENDED or ABSENT is final.
    if (registration.status !== 'REGISTERED') throw new InvalidStatusTransitionError('ModuleRegistration', registration.status, status);
    registration.status = status;
    return registration;
  });
}
