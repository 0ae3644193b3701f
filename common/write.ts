import { DeadlockException, DriverException, LockMode, type EntityName, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, NotFoundError } from './errors.js';

/** PostgreSQL's SQLSTATE when `lock_timeout` ends a wait for a lock (MikroORM has no class for it). */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Write steps, the same way in every subgraph:
 *
 *   return writeStep(em, async (tx) => {
 *     const row = await lockRow(tx, Entity, id);   // lock, then read: the state the step checks is the committed one
 *     …check row's state…                          // and stays so until this transaction ends
 *     …change it…
 *   });
 *
 * A step never checks a state it read before taking the lock: two concurrent steps on one row would both pass
 * the check. Locks are taken parent first (recruitment: structure → conseiller → mise en relation; conventions:
 * agreement → its posts, tranches and contracts; training: advisor → session → path; activity: the report), so
 * two steps wait for each other instead of deadlocking. Should PostgreSQL still detect a deadlock or a
 * serialization failure, or a lock wait outlast `lock_timeout` (db.ts), the step is answered CONFLICT (try again),
 * not as an internal error.
 */
export async function writeStep<T>(em: EntityManager, step: (tx: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await em.transactional(step);
  } catch (error) {
    if (error instanceof DeadlockException || (error instanceof DriverException && error.code === LOCK_NOT_AVAILABLE)) {
      throw new ConflictError('A concurrent change to the same records got in the way; nothing was written. Try again.', {
        reason: 'CONCURRENT_WRITE',
      });
    }
    throw error;
  }
}

/**
 * Locks one row (`select … for update`) and reads it afresh, replacing whatever an earlier read left in the
 * transaction's identity map. NOT_FOUND when it does not exist.
 */
export async function lockRow<T extends object>(tx: EntityManager, entity: EntityName<T>, id: number): Promise<T> {
  const row = await tx.findOne(entity, id as FilterQuery<NoInfer<T>>, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!row) throw new NotFoundError(tx.getMetadata().get(entity).className, id);
  return row as T;
}

/** Locks and reads afresh the rows matching `where`, in id order (the order every step locks sibling rows in). */
export async function lockRows<T extends object>(tx: EntityManager, entity: EntityName<T>, where: FilterQuery<NoInfer<T>>): Promise<T[]> {
  return (await tx.find(entity, where, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } as never })) as T[];
}
