/**
 * npm run token -- <demo user>   prints a dashboard token from the development issuer (never in production).
 * Send it as `Authorization: Bearer <token>` (GraphiQL: the Headers tab).
 */
import { join } from 'node:path';
import { loadEnv } from '../common/env.js';
import { DEMO_USERS, loadDevIssuer } from '../gateway/dev-issuer.js';

const env = loadEnv();
const name = process.argv[2];
const claims = name ? DEMO_USERS[name] : undefined;
if (env.NODE_ENV === 'production') {
  console.error('The development issuer is disabled in production.');
  process.exitCode = 1;
} else if (!claims) {
  console.error(`Usage: npm run token -- <${Object.keys(DEMO_USERS).join('|')}>`);
  process.exitCode = 2;
} else {
  const issuer = await loadDevIssuer(join(env.DEV_SECRETS_DIR, 'issuer.json'));
  console.log(await issuer.sign(claims));
}
