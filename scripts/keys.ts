/**
 * npm run keys -- <command>
 *   create --name <who> --scopes a,b [--departements 13,84] [--regions 93] [--expires-in-days 90]
 *   list
 *   rotate <id> [--grace-hours 24]
 *   revoke <id> --reason <why>
 * Works on DATABASE_URL, or on the embedded database of `npm start` (stop it first: PGlite has one user at a time).
 */
import { parseArgs } from 'node:util';
import { loadEnv } from '../common/env.js';
import { scriptDatabase } from '../common/script-database.js';
import { SCOPES } from '../common/viewer.js';
import { ApiKeyError, ApiKeyStore, type ApiKeyRecord } from '../gateway/api-key-store.js';
import { apiKeyPepper } from '../gateway/auth-setup.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    scopes: { type: 'string' },
    departements: { type: 'string' },
    regions: { type: 'string' },
    'expires-in-days': { type: 'string' },
    'grace-hours': { type: 'string' },
    reason: { type: 'string' },
  },
});
const list = (value: string | undefined) =>
  value
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : [];
const describe = (k: ApiKeyRecord) =>
  `${k.id}  ${k.name}  scopes=${k.scopes.join(',')}  territory=${[...k.departements, ...k.regions.map((r) => `région ${r}`)].join(',') || 'national'}  ` +
  `expires=${k.expiresAt.toISOString().slice(0, 10)}  last-used=${k.lastUsedAt?.toISOString() ?? 'never'}${k.revokedAt ? `  REVOKED (${k.revokedReason})` : ''}`;

const env = loadEnv();
const db = await scriptDatabase();
const store = await ApiKeyStore.open(db.url, apiKeyPepper(env));
try {
  const [command, id] = positionals;
  switch (command) {
    case 'create': {
      const { key, record } = await store.create({
        name: values.name ?? '',
        scopes: list(values.scopes),
        departements: list(values.departements),
        regions: list(values.regions),
        expiresInDays: values['expires-in-days'] ? Number(values['expires-in-days']) : undefined,
      });
      console.log(`${describe(record)}\n\nAPI key (shown once, store it now):\n${key}`);
      break;
    }
    case 'list':
      for (const k of await store.list()) console.log(describe(k));
      break;
    case 'rotate': {
      const { key, record } = await store.rotate(id ?? '', values['grace-hours'] ? Number(values['grace-hours']) : undefined);
      console.log(
        `${describe(record)}\nprevious secret valid until ${record.previousValidUntil?.toISOString()}\n\nNew API key (shown once):\n${key}`,
      );
      break;
    }
    case 'revoke':
      console.log(describe(await store.revoke(id ?? '', values.reason ?? '')));
      break;
    default:
      console.error(`Usage: npm run keys -- create|list|rotate|revoke …  (scopes: ${SCOPES.join(', ')})`);
      process.exitCode = 2;
  }
} catch (error) {
  if (!(error instanceof ApiKeyError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await store.close();
  await db.embedded?.stop();
}
