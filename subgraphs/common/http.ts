import type http from 'node:http';

/** Slow clients may not hold connections: Node's defaults (60 s for headers, 300 s per request) are far too generous. */
export function setHttpTimeouts(server: http.Server): void {
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
}
