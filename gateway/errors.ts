import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../subgraphs/common/errors.js';
import { createLogger } from '../subgraphs/common/logger.js';

const log = createLogger('gateway');

/**
 * What reaches clients from the gateway: subgraphs already mask their own errors, so what is left to hide here
 * is the gateway's (a subgraph that cannot be reached names its internal address, for instance).
 */
export function formatGatewayError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { stacktrace: _stacktrace, serviceName, ...extensions } = formatted.extensions ?? {};
  if (extensions.code === ErrorCode.INTERNAL_SERVER_ERROR || /https?:\/\//.test(formatted.message)) {
    log.error('subgraph failure', { message: formatted.message, subgraph: serviceName, path: formatted.path });
    const unavailable = typeof serviceName === 'string' || /https?:\/\//.test(formatted.message);
    return unavailable
      ? { message: 'A service this request needs is unavailable; try again later.', path: formatted.path, extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE } }
      : { message: 'Internal server error.', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
  return { ...formatted, extensions };
}
