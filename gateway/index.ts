/** Entry point of the gateway as its own process (docker-compose): the subgraphs run elsewhere. */
import { readFileSync } from 'node:fs';
import { loadEnv, SUBGRAPH_NAMES, type SubgraphName } from '../common/env.js';
import { createLogger } from '../common/logger.js';
import { stopOnSignalsAndFatalErrors } from '../common/process.js';
import { SUPERGRAPH_PATH } from '../common/type-defs.js';
import { createAuthenticator } from './auth-setup.js';
import { startGateway } from './server.js';

const env = loadEnv(process.env, {
  GATEWAY_SECRET: 'to run the gateway on its own: it signs every subgraph request with it',
  DATABASE_URL: 'to run the gateway on its own: API keys are kept in the database',
});
const auth = await createAuthenticator(env, env.DATABASE_URL);
const gateway = await startGateway({
  authenticator: auth.authenticator,
  supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
  subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, env.subgraphUrl(n)])) as Record<SubgraphName, string>,
  gatewaySecret: env.GATEWAY_SECRET,
  production: env.NODE_ENV === 'production',
  limits: { redisUrl: env.REDIS_URL },
  corsOrigins: env.CORS_ORIGINS,
  trustProxy: env.TRUST_PROXY,
  host: env.HOST,
  port: env.GATEWAY_PORT,
});
stopOnSignalsAndFatalErrors(createLogger('gateway'), async () => {
  await gateway.stop();
  await auth.close();
});
