import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { CLIENT_ERROR_CODES, ErrorCode } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import type { GatewayContext } from './context.js';

const log = createLogger('gateway');

/** What @apollo/gateway puts in `extensions.response` when a subgraph answers with an HTTP error status. */
interface SubgraphHttpError {
  url?: string;
  status?: number;
  body?: { errors?: { message?: string; extensions?: { code?: unknown } }[] };
}

const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);
/** Apollo Server's message for an APQ whose hash is not its query's; it carries no code of its own. */
const APQ_HASH_MISMATCH = 'provided sha does not match query';

/**
 * What reaches clients from the gateway. A client's mistake keeps its code and message, wherever it was found (the
 * gateway, or a subgraph, even one answering HTTP 400); only real faults are masked, as INTERNAL_SERVER_ERROR, or
 * SUBGRAPH_UNAVAILABLE when a subgraph could not be reached. An error a subgraph raised names it in
 * `extensions.serviceName` (its name, never its address), and so does the log line of a masked one.
 */
export function createErrorFormatter(
  subgraphUrls: Record<string, string>,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  const nameAt = new Map(Object.entries(subgraphUrls).map(([name, url]) => [url, name]));
  return (formatted, error) => {
    const { stacktrace: _stacktrace, serviceName, subgraph, response, ...extensions } = formatted.extensions ?? {};
    const http = response as SubgraphHttpError | undefined;
    // Apollo names the subgraph of the errors it relays, our data source the one it could not reach; an HTTP error
    // status only comes with the address called.
    const service = [serviceName, subgraph, http?.url && nameAt.get(http.url)].find((s): s is string => typeof s === 'string');
    const named = service ? { serviceName: service } : {};
    const source = service ? { subgraph: service } : {};
    const { path } = formatted;

    if (http) {
      const first = http.body?.errors?.[0];
      const code = first?.extensions?.code;
      // A 401 refuses the gateway's own signature, not the client's credentials.
      if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code) && http.status !== 401)
        return { message: String(first?.message), path, extensions: { code, ...named } };
      log.error('subgraph answered an HTTP error', { ...source, status: http.status, message: first?.message, path });
      return UNAVAILABLE_STATUSES.has(http.status ?? 0) ? unavailable(path, named) : internal(path, named);
    }
    const code = extensions.code;
    if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) return { ...formatted, extensions: { ...extensions, ...named } };
    // Other messages naming an address are a subgraph's transport failure, which must not show where it runs.
    if (/https?:\/\//.test(formatted.message)) {
      log.error('subgraph call failed', { ...source, message: formatted.message, path });
      return unavailable(path, named);
    }
    if (code === ErrorCode.SUBGRAPH_UNAVAILABLE || code === ErrorCode.AUTHENTICATION_UNAVAILABLE)
      return { ...formatted, extensions: { ...extensions, ...named } };
    // Apollo's own request errors that it gives an HTTP 4xx but no code (an APQ hash mismatch, say).
    const status = (error as { extensions?: { http?: { status?: unknown } } } | null)?.extensions?.http?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const request = formatted.message === APQ_HASH_MISMATCH ? ErrorCode.PERSISTED_QUERY_HASH_MISMATCH : ErrorCode.BAD_REQUEST;
      return { message: formatted.message, path, extensions: { code: request } };
    }
    log.error(service ? 'subgraph error' : 'gateway error', { ...source, code, message: formatted.message, path });
    return internal(path, named, code === 'DOWNSTREAM_SERVICE_ERROR' ? code : ErrorCode.INTERNAL_SERVER_ERROR);
  };
}

function unavailable(path: GraphQLFormattedError['path'], named: { serviceName?: string }): GraphQLFormattedError {
  const what = named.serviceName ? `The ${named.serviceName} service` : 'A service this request needs';
  return { message: `${what} is unavailable; try again later.`, path, extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, ...named } };
}

function internal(
  path: GraphQLFormattedError['path'],
  named: { serviceName?: string },
  code: string = ErrorCode.INTERNAL_SERVER_ERROR,
): GraphQLFormattedError {
  return { message: 'Internal server error.', path, extensions: { code, ...named } };
}

/**
 * @apollo/gateway reports what it could not complete (a null where the schema promises a value, a value the schema
 * does not know) in `extensions.valueCompletion`, and only when no other error occurred: a client reading `errors`
 * sees data vanish, and a write that succeeded looks failed. Each problem becomes an error at its path. The subgraphs
 * explain the entities they do not return (common/references.ts), so a problem left for this plugin is a fault.
 */
export function valueCompletionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const body = response.body;
          if (body.kind !== 'single') return;
          const { valueCompletion, ...extensions } = body.singleResult.extensions ?? {};
          if (!Array.isArray(valueCompletion)) return;
          const errors = (valueCompletion as GraphQLError[]).map(({ message, path }): GraphQLFormattedError => {
            log.error('value completion', { message, path });
            return { message, ...(path && { path }), extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
          });
          body.singleResult.errors = [...(body.singleResult.errors ?? []), ...errors];
          body.singleResult.extensions = Object.keys(extensions).length ? extensions : undefined;
        },
      };
    },
  };
}
