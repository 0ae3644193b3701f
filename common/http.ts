import type http from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCode } from './errors.js';
import type { Logger } from './logger.js';

/**
 * The largest request body the gateway parses (gateway/LIMITS.md): a `fileCras` batch of 500 realistic reports is
 * about 400 kB. Subgraphs parse up to twice this: a subgraph request carries the client's variables again, plus the
 * planner's query text, so nothing the gateway accepted is refused behind it.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Slow clients may not hold connections: Node's defaults (60 s for headers, 300 s per request) are far too generous. */
export function setHttpTimeouts(server: http.Server): void {
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
}

/** Sends one error in the GraphQL response shape, so that clients parse every answer of the API the same way. */
export function sendError(res: Parameters<RequestHandler>[1], status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** Paths nothing is served at: JSON, never Express's HTML page. Mount it after every route. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 404, ErrorCode.NOT_FOUND, `Nothing is served at ${req.method} ${req.path.slice(0, 100)}.`);
};

/** What a body-parser (`express.json`) failure says to the client, by the `type` it tags the error with. */
function describeBodyError(error: { type?: string; limit?: number; status: number }): { code: ErrorCode; message: string } {
  switch (error.type) {
    case 'entity.too.large':
      return { code: ErrorCode.PAYLOAD_TOO_LARGE, message: `The request body is over the limit of ${error.limit} bytes.` };
    case 'entity.parse.failed':
      return { code: ErrorCode.BAD_REQUEST, message: 'The request body must be a JSON object: {"query": "…", "variables": {…}}.' };
    case 'encoding.unsupported':
      return {
        code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        message: 'Unsupported Content-Encoding: send the body as is, or gzip, deflate or br.',
      };
    case 'charset.unsupported':
      return { code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: 'Unsupported charset: send JSON in UTF-8.' };
    default:
      // A compressed body that does not decompress, a length that does not match Content-Length, an aborted upload…
      return error.status === 413
        ? { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'The request body is too large.' }
        : { code: ErrorCode.BAD_REQUEST, message: 'The request body could not be read.' };
  }
}

/**
 * The last middleware of the gateway and of every subgraph: errors that reach Express (from the body parser, or
 * anything else thrown outside Apollo) get a GraphQL JSON answer with a stable code and their HTTP status. Express's
 * default handler would answer an HTML page with the stack trace and the server's paths (outside production).
 */
export function jsonErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const { code, message } = describeBodyError(error as { type?: string; limit?: number; status: number });
      sendError(res, status, code, message);
      return;
    }
    log.error('unexpected HTTP error', { message: error instanceof Error ? error.message : String(error) });
    sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error.');
  };
}
