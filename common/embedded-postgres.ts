import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { createLogger } from './logger.js';

const log = createLogger('pglite');

export interface EmbeddedPostgres {
  /** A `postgresql://` URL any pg client (MikroORM included) can use. */
  url: string;
  stop(): Promise<void>;
}

/**
 * One PGlite (PostgreSQL compiled to WASM) served over the PostgreSQL wire protocol on a loopback port, so the
 * subgraphs use the same driver as on a real server. One instance is shared: each costs ~370 MB. Database names
 * and users are ignored by PGlite, which is why each subgraph lives in its own schema.
 */
export async function startEmbeddedPostgres(
  options: { dataDir?: string; port?: number; maxConnections?: number } = {},
): Promise<EmbeddedPostgres> {
  let dataDir: string | undefined;
  if (options.dataDir) {
    dataDir = resolve(options.dataDir);
    mkdirSync(dirname(dataDir), { recursive: true });
  }
  const db = await PGlite.create(dataDir);
  // Every connection of every pool must be accepted: 4 subgraph pools plus scripts.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: options.maxConnections ?? 64 });
  // Failed client connections arrive as events: an EventTarget never throws for an unheard one, so without this
  // listener they would leave no trace.
  server.addEventListener('error', (event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    log.warn('embedded PostgreSQL connection error', { message: detail instanceof Error ? detail.message : String(detail) });
  });
  await server.start();
  const conn = server.getServerConn();
  const port = Number(conn.split(':').pop());
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
