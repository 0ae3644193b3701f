import type http from 'node:http';

/**
 * The largest request body the gateway parses (gateway/LIMITS.md): a `fileCras` batch of 500 realistic reports is
 * about 430 kB. Subgraphs parse up to twice this: a subgraph request carries the client's variables again, plus the
 * planner's query text, so nothing the gateway accepted is refused behind it.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Slow clients may not hold connections: Node's defaults (60 s for headers, 300 s per request) are far too generous. */
export function setHttpTimeouts(server: http.Server): void {
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
}
