/**
 * Unique public ids for rows a test creates, so test files share one database without truncating tables: each
 * worker process draws from its own range of a million ids.
 */
let next = (process.pid % 2000) * 1_000_000 + Math.floor(Math.random() * 500_000);

export function uniqueId(): number {
  return ++next;
}
