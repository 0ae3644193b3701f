/** Entry point of the gateway as its own process (docker-compose): the subgraphs run elsewhere. */
import { loadEnv, SUBGRAPH_NAMES, type SubgraphName } from '../common/env.js';
import { createLogger } from '../common/logger.js';
import { stopOnSignalsAndFatalErrors } from '../common/process.js';
import { createAuthenticator } from './auth-setup.js';
import { gatewayOptionsFromEnv, startGateway } from './server.js';

const env = loadEnv(process.env, {
  GATEWAY_SECRET: 'to run the gateway on its own: it signs every subgraph request with it',
  DATABASE_URL: 'to run the gateway on its own: API keys are kept in the database',
});
const auth = await createAuthenticator(env, env.DATABASE_URL);
const gateway = await startGateway({
  authenticator: auth.authenticator,
  ...gatewayOptionsFromEnv(env),
  subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, env.subgraphUrl(n)])) as Record<SubgraphName, string>,
  gatewaySecret: env.GATEWAY_SECRET,
});
stopOnSignalsAndFatalErrors(createLogger('gateway'), async () => {
  await gateway.stop();
  await auth.close();
});
