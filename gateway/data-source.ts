import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import { encodeViewer, signEncodedViewer, VIEWER_HEADER } from '../common/viewer.js';
import type { GatewayContext } from './context.js';
import { isSubgraphUnavailable, unavailableResponse } from './unavailable.js';

/** A subgraph call gives up after this long, so the gateway can still answer with partial data. */
export const SUBGRAPH_TIMEOUT_MS = 5_000;

const log = createLogger('gateway');

/**
 * Calls one subgraph with the caller's identity signed by the shared secret (the subgraph refuses anything else),
 * bound to this subgraph and this body, and a timeout: @apollo/gateway's default fetch has none, so a hung
 * subgraph would hold the request forever.
 * A failed call becomes SUBGRAPH_UNAVAILABLE naming the subgraph, never its internal address, at the path of each
 * field it was asked for.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(name: string, url: string, secret: string, timeoutMs = SUBGRAPH_TIMEOUT_MS) {
    super({
      url,
      fetcher: (async (input: string, init?: RequestInit & { headers?: Record<string, string> }) => {
        // Signed here, over the exact bytes sent: `willSendRequest` runs before the body is serialised.
        const payload = init?.headers?.[VIEWER_HEADER];
        const headers = payload
          ? { ...init!.headers, ...signEncodedViewer(payload, secret, { subgraph: name, body: String(init!.body) }) }
          : init?.headers;
        try {
          return await fetch(input, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
        } catch (error) {
          const timedOut = (error as Error | undefined)?.name === 'TimeoutError';
          log.error('subgraph call failed', { subgraph: name, reason: (error as Error | undefined)?.message });
          throw new GraphQLError(
            timedOut
              ? `The ${name} service did not answer within ${timeoutMs / 1000} s.`
              : `The ${name} service is unavailable; try again later.`,
            { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: name } },
          );
        }
      }) as never,
    });
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    try {
      return await super.process(options);
    } catch (error) {
      // Health checks have no client fields to report on.
      if (!isSubgraphUnavailable(error) || !('incomingRequestContext' in options)) throw error;
      return unavailableResponse(options.request, options.document, error);
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Health checks and schema loading run without a request context: they carry no identity.
    const viewer = 'viewer' in context ? context.viewer : undefined;
    if (!viewer) return;
    request.http?.headers.set(VIEWER_HEADER, encodeViewer(viewer));
  }
}
