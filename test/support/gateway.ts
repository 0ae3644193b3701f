import { readFileSync } from 'node:fs';
import { SUPERGRAPH_PATH } from '../../common/type-defs.js';
import { Authenticator } from '../../gateway/auth.js';
import { createDevIssuer, type DevIssuer } from '../../gateway/dev-issuer.js';
import { MemoryRateLimitStore } from '../../gateway/rate-limit.js';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../gateway/server.js';

/**
 * The gateway alone, for what it answers before any subgraph is called (HTTP policy, the playground, `{ __typename }`):
 * its subgraphs point at a closed port, tokens come from a dev issuer, budgets live in memory.
 */
export async function startLoneGateway(options: Partial<GatewayOptions> = {}): Promise<RunningGateway & { issuer: DevIssuer }> {
  const issuer = await createDevIssuer();
  const nowhere = 'http://127.0.0.1:9/graphql';
  const gateway = await startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: { recruitment: nowhere, conventions: nowhere, training: nowhere, activity: nowhere },
    gatewaySecret: 'lone-gateway-secret-of-at-least-32-characters',
    authenticator: new Authenticator({ jwt: issuer.jwt, apiKeys: null }),
    limits: { store: new MemoryRateLimitStore() },
    ...options,
  });
  return { ...gateway, issuer };
}
