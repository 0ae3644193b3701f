import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { canSeeRow, isRestricted, type RowInHand } from './authz.js';
import { ForbiddenError } from './errors.js';
import type { EventDefinition, EventEnvelope, PayloadOf } from './events/event.js';
import { writeOutbox } from './events/outbox.js';
import type { Role, Viewer } from './viewer.js';
import { lockRow, lockRows, writeStep } from './write.js';

/** The roles that take each write step of a subgraph, keyed by the step's name (its mutation's). */
export type Writers = Readonly<Record<string, readonly Role[]>>;

/** The reach checks of a step, usable on its input before the transaction and on its locked rows inside it. */
export interface ReachChecks {
  /**
   * Refuses the step (FORBIDDEN, nothing written) when a row lies outside the viewer's reach, by the row rule of
   * `authz.ts`: "You cannot <action> for <subject>: <why>."
   */
  reach(row: RowInHand, subject: string, why?: string): void;
  /** The same refusal for a rule of the subgraph's own (a candidate acts only for itself…). */
  require(allowed: boolean, subject: string, why: string): void;
  /** Says, for a step with no row in reach to check, why any viewer of its roles may take it. */
  unscoped(reason: string): void;
}

/** What a step's body works with: its transaction, row locks and the reach checks, all naming the step. */
export interface Step<A extends string = string> extends ReachChecks {
  readonly tx: EntityManager;
  readonly viewer: Viewer;
  readonly action: A;
  /** Locks one row and reads it afresh (`lockRow`): NOT_FOUND when it does not exist. */
  lock<T extends object>(entity: EntityName<T>, id: number): Promise<T>;
  /** Locks and reads afresh the rows matching `where`, in id order (`lockRows`). */
  lockAll<T extends object>(entity: EntityName<T>, where: FilterQuery<NoInfer<T>>): Promise<T[]>;
  /**
   * Announces a change to the other subgraphs (common/events/catalogue.ts): the event is written to this subgraph's
   * outbox in the step's transaction, so it is published if and only if the step commits.
   */
  emit<E extends EventDefinition>(event: E, aggregateId: string | number, payload: PayloadOf<E>): EventEnvelope;
}

/** A step's body: what it does inside its transaction, given what the step's input check returned. */
export type StepBody<A extends string, T, C = undefined> = (step: Step<A>, checked: C) => Promise<T>;

export interface StepOptions<C> {
  /**
   * Checks the step's input alone (throws BAD_USER_INPUT…, or refuses the input's own location with `reach`), after
   * the role and before the transaction opens; what it returns (the input parsed) is handed to the body.
   */
  check: (checks: ReachChecks) => C;
}

/** Roles refused by name ("The prefet role cannot …"); keys and anonymous callers by kind. */
function roleRefusal(viewer: Viewer, action: string): ForbiddenError {
  const who = viewer.kind === 'user' ? viewer.role : viewer.kind.replace('_', ' ');
  return new ForbiddenError(`The ${who} role cannot ${action}.`, { action });
}

/**
 * Declares a subgraph's write steps once, from the table of who takes each. A step runs, in this order: the role
 * check (before any read), the step's `check` of its input if it has one (pure, reach checks on the input's own
 * location included: a refused input costs no statement), the transaction (`writeStep`: deadlocks and lock waits answered CONFLICT), the body with its locks,
 * and the reach checks the body makes on the rows it locked. A restricted viewer's step whose body made no reach
 * check (nor said why it needs none) fails and writes nothing: a new step cannot forget the check.
 */
export function defineWriteSteps<const W extends Writers>(writers: W) {
  type Action = keyof W & string;

  function mayTake(viewer: Viewer, action: Action): boolean {
    return viewer.kind === 'user' && (writers[action] as readonly Role[]).includes(viewer.role);
  }

  function step<T>(em: EntityManager, viewer: Viewer, action: Action, body: StepBody<Action, T>): Promise<T>;
  function step<T, C>(em: EntityManager, viewer: Viewer, action: Action, options: StepOptions<C>, body: StepBody<Action, T, C>): Promise<T>;
  async function step<T, C>(
    em: EntityManager,
    viewer: Viewer,
    action: Action,
    ...rest: [StepBody<Action, T>] | [StepOptions<C>, StepBody<Action, T, C>]
  ): Promise<T> {
    if (!mayTake(viewer, action)) throw roleRefusal(viewer, action);
    const [check, body] = rest.length === 1 ? [() => undefined, rest[0]] : [rest[0].check, rest[1]];
    let reachChecked = !isRestricted(viewer);
    const refuse = (subject: string, why: string) => new ForbiddenError(`You cannot ${action} for ${subject}: ${why}.`, { action });
    const checks: ReachChecks = {
      reach(row, subject, why = 'it is outside your structure, territory or advisors') {
        reachChecked = true;
        if (!canSeeRow(viewer, row)) throw refuse(subject, why);
      },
      require(allowed, subject, why) {
        reachChecked = true;
        if (!allowed) throw refuse(subject, why);
      },
      unscoped() {
        reachChecked = true;
      },
    };
    const parsed = check(checks);
    return writeStep(em, async (tx) => {
      const context: Step<Action> = {
        ...checks,
        tx,
        viewer,
        action,
        lock: (entity, id) => lockRow(tx, entity, id),
        lockAll: (entity, where) => lockRows(tx, entity, where),
        emit: (event, aggregateId, payload) => writeOutbox(tx, event, aggregateId, payload),
      };
      const result = await body(context, parsed as C & undefined);
      if (!reachChecked) throw new Error(`Write step ${action} made no reach check for a restricted viewer.`);
      return result;
    });
  }

  return { step, mayTake };
}
