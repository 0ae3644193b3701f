import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { signViewer } from '../subgraphs/common/viewer.js';
import type { GatewayContext } from './context.js';

/** A subgraph call gives up after this long, so the gateway can still answer with partial data. */
export const SUBGRAPH_TIMEOUT_MS = 5_000;

/**
 * Calls one subgraph with the caller's identity signed by the shared secret (the subgraph refuses anything else),
 * and a timeout: @apollo/gateway's default fetch has none, so a hung subgraph would hold the request forever.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, private readonly secret: string, timeoutMs = SUBGRAPH_TIMEOUT_MS) {
    super({
      url,
      fetcher: ((input: string, init?: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as never,
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Health checks and schema loading run without a request context: they carry no identity.
    const viewer = 'viewer' in context ? context.viewer : undefined;
    if (!viewer) return;
    for (const [name, value] of Object.entries(signViewer(viewer, this.secret))) request.http?.headers.set(name, value);
  }
}
