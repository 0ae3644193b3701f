import { expect } from '@jest/globals';

/**
 * Concurrency tests: conflicting write steps started together on the database, each on its own EntityManager
 * fork and so its own pooled connection (a TestSubgraph's `execute` gives every call a fresh request context).
 * On the real PostgreSQL (DATABASE_URL, as in CI) their transactions overlap and race for the same rows. On the
 * in-process PGlite a single backend runs one transaction at a time: the same tests pass there but prove nothing
 * about locking.
 */

interface Response {
  errors?: readonly { extensions?: Record<string, unknown> }[] | null;
}

/** `OK`, or the code of the response's first error. */
export function outcomeOf(response: Response): string {
  const error = response.errors?.[0];
  return error ? String(error.extensions?.code) : 'OK';
}

/**
 * Runs the steps at the same time: each waits behind one barrier, lifted once every step is waiting, so all of
 * them start in the same turn of the event loop rather than one after the other as they are created.
 */
export async function atOnce<T>(steps: readonly (() => Promise<T>)[]): Promise<T[]> {
  let lift!: () => void;
  const barrier = new Promise<void>((resolve) => (lift = resolve));
  const running = steps.map(async (step) => {
    await barrier;
    return step();
  });
  lift();
  return Promise.all(running);
}

/** `count` copies of one step, run at once. */
export function copies<T>(count: number, step: () => Promise<T>): (() => Promise<T>)[] {
  return Array.from({ length: count }, () => step);
}

/**
 * Runs conflicting steps at once and expects exactly one of them to succeed, every other one to fail with one of
 * `codes` (stable error codes, never INTERNAL_SERVER_ERROR). Returns the winner's index and every outcome; the
 * caller then checks the invariant on the rows.
 */
export async function expectOneWinner<T extends Response>(
  steps: readonly (() => Promise<T>)[],
  codes: readonly string[],
): Promise<{ winner: number; responses: T[]; outcomes: string[] }> {
  const responses = await atOnce(steps);
  const outcomes = responses.map(outcomeOf);
  // The outcomes travel with the count, so a failure shows them all.
  expect({ successes: outcomes.filter((o) => o === 'OK').length, outcomes }).toEqual({ successes: 1, outcomes });
  for (const outcome of outcomes.filter((o) => o !== 'OK')) expect(codes).toContain(outcome);
  return { winner: outcomes.indexOf('OK'), responses, outcomes };
}
