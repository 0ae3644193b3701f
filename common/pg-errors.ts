import type pg from 'pg';
import type { Logger } from './logger.js';

/**
 * PostgreSQL ends connections on its own (restart, failover, `idle_session_timeout`, `pg_terminate_backend`), and
 * pg reports it as an 'error' event: on the client, and again on its pool when the client was idle. An 'error'
 * event nobody listens to is an uncaught exception that ends the process. The query in flight, if any, rejects by
 * itself and the pool discards the broken client, so logging is all that is left to do here.
 */
export function handleClientErrors(client: pg.ClientBase, log: Logger): void {
  client.on('error', (error) => log.warn('PostgreSQL connection lost', { message: error.message }));
}

/** PostgreSQL ended the connection (57P01–57P03: shutdown, crash, terminated backend) or its socket closed under the query. */
export function isConnectionLost(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (typeof code === 'string' && /^57P0[123]$/.test(code)) || (typeof message === 'string' && /Connection terminated/i.test(message));
}

/**
 * A read that is safe to repeat, run once more when its connection was lost under it: the pool has discarded that
 * client, so the second try opens a fresh one instead of failing the request for a restart it could not see.
 */
export async function readOnce<R extends pg.QueryResultRow>(pool: pg.Pool, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
  try {
    return await pool.query<R>(text, values);
  } catch (error) {
    if (!isConnectionLost(error)) throw error;
    return pool.query<R>(text, values);
  }
}

/** Every client the pool opens gets the listener; pg-pool drops its own while a client is checked out. */
export function handlePoolErrors(pool: pg.Pool, log: Logger): void {
  pool.on('connect', (client) => handleClientErrors(client, log));
  // The idle client's own listener has logged it already.
  pool.on('error', () => undefined);
}
