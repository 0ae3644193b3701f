import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, InvalidStatusTransitionError, NotFoundError } from '../../../common/errors.js';
import { parseId } from '../../../common/ids.js';
import type { Viewer } from '../../../common/viewer.js';
import { lockRow, writeStep } from '../../../common/write.js';
import { Learner, ModuleRegistration, ThematicModule } from '../entities/index.js';
import { assertMayTake, assertWithinReach } from './access.js';
import { lockAdvisor } from './training-path.service.js';
import { today } from './territory.js';
import { MODULES_START } from './training.rules.js';

export function listModules(em: EntityManager, offeredIn?: number | null): Promise<ThematicModule[]> {
  return em.find(ThematicModule, offeredIn ? { offeredFrom: { $lte: offeredIn } } : {}, { orderBy: { code: 'asc' } });
}

export async function registerForModule(
  em: EntityManager,
  viewer: Viewer,
  conseillerIdArg: string,
  moduleIdArg: string,
  date: string,
): Promise<ModuleRegistration> {
  assertMayTake(viewer, 'registerForModule');
  const conseillerId = parseId(conseillerIdArg, 'conseillerId');
  const moduleId = parseId(moduleIdArg, 'moduleId');
  if (date < MODULES_START) throw new BadUserInputError(`Thematic modules run from ${MODULES_START}.`, 'date');
  return writeStep(em, async (tx) => {
    // One registration per advisor, module and day, even when two arrive at once.
    await lockAdvisor(tx, conseillerId);
    const [learner, module, duplicate] = await Promise.all([
      tx.findOne(Learner, conseillerId),
      tx.findOne(ThematicModule, moduleId),
      tx.count(ModuleRegistration, { conseillerId, module: moduleId, date }),
    ]);
    assertWithinReach(viewer, learner, conseillerId, 'registerForModule');
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

export async function recordModuleAttendance(
  em: EntityManager,
  viewer: Viewer,
  registrationIdArg: string,
  attended: boolean,
): Promise<ModuleRegistration> {
  assertMayTake(viewer, 'recordModuleAttendance');
  const id = parseId(registrationIdArg, 'registrationId');
  return writeStep(em, async (tx) => {
    const registration = await lockRow(tx, ModuleRegistration, id);
    assertWithinReach(viewer, await tx.findOne(Learner, registration.conseillerId), registration.conseillerId, 'recordModuleAttendance');
    if (registration.date > today()) throw new BadUserInputError(`Module day ${registration.date} has not come yet.`, 'registrationId');
    const status = attended ? 'ATTENDED' : 'ABSENT';
    // Attendance is recorded once; a registration marked ATTENDED or ABSENT is final.
    if (registration.status !== 'REGISTERED') throw new InvalidStatusTransitionError('ModuleRegistration', registration.status, status);
    registration.status = status;
    return registration;
  });
}
