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

/** Every client the pool opens gets the listener; pg-pool drops its own while a client is checked out. */
export function handlePoolErrors(pool: pg.Pool, log: Logger): void {
  pool.on('connect', (client) => handleClientErrors(client, log));
  // The idle client's own listener has logged it already.
  pool.on('error', () => undefined);
}
