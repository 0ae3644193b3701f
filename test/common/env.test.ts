import { describe, expect, test } from '@jest/globals';
import { loadEnv, logLevel } from '../../common/env.js';

/** The env schema's rules between variables (common/env.ts): production's requirements and a process's own. */

const PRODUCTION = {
  NODE_ENV: 'production',
  API_KEY_PEPPER: 'p'.repeat(32),
  OIDC_JWKS_URL: 'https://auth.example.fr/jwks',
  OIDC_ISSUER: 'https://auth.example.fr',
};

/** The message loadEnv stops with, one line per problem. */
function problems(source: NodeJS.ProcessEnv, required?: Record<string, string>): string[] {
  try {
    loadEnv(source, required);
  } catch (error) {
    const [title, ...lines] = (error as Error).message.split('\n');
    expect(title).toBe('Invalid environment:');
    return lines.map((l) => l.trim());
  }
  throw new Error('loadEnv accepted the environment');
}

describe('production requirements', () => {
  test('every missing requirement is reported in one message, each with its reason', () => {
    const lines = problems({ NODE_ENV: 'production' });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^API_KEY_PEPPER: required in production: API keys are stored under its HMAC/);
    expect(lines[1]).toMatch(/^OIDC_JWKS_URL: required in production: dashboard tokens are verified/);
    expect(lines[2]).toMatch(/^OIDC_ISSUER: required in production: /);
  });

  test('are reported together with the invalid variables; an invalid value is not reported again as missing', () => {
    const lines = problems({ NODE_ENV: 'production', GATEWAY_PORT: 'x', API_KEY_PEPPER: 'short', OIDC_JWKS_URL: 'not a url' });
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(['API_KEY_PEPPER', 'GATEWAY_PORT', 'OIDC_ISSUER', 'OIDC_JWKS_URL']);
    expect(lines.find((l) => l.startsWith('API_KEY_PEPPER'))).toBe('API_KEY_PEPPER: must be at least 32 characters');
    expect(lines.find((l) => l.startsWith('OIDC_JWKS_URL'))).not.toContain('required');
  });

  test('a complete production environment loads', () => {
    const env = loadEnv(PRODUCTION);
    expect(env.NODE_ENV).toBe('production');
    expect(env.OIDC_ISSUER).toBe('https://auth.example.fr');
  });

  test('outside production nothing is required, except an issuer with a JWKS', () => {
    expect(() => loadEnv({ NODE_ENV: 'development' })).not.toThrow();
    expect(problems({ OIDC_JWKS_URL: 'https://auth.example.fr/jwks' })).toEqual([
      'OIDC_ISSUER: required with OIDC_JWKS_URL: tokens must name their issuer',
    ]);
  });

  test("a process's own requirements join the same message and come back set", () => {
    const lines = problems({ NODE_ENV: 'production', SEED_DEMO: 'yes' }, { GATEWAY_SECRET: 'to run the gateway on its own' });
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual([
      'API_KEY_PEPPER',
      'GATEWAY_SECRET',
      'OIDC_ISSUER',
      'OIDC_JWKS_URL',
      'SEED_DEMO',
    ]);
    expect(lines).toContain('GATEWAY_SECRET: required to run the gateway on its own');
    const env = loadEnv({ ...PRODUCTION, GATEWAY_SECRET: 's'.repeat(32) }, { GATEWAY_SECRET: 'to run the gateway on its own' });
    expect(env.GATEWAY_SECRET).toHaveLength(32);
  });

  test('an empty variable counts as unset (docker-compose passes `${VAR:-}` as empty)', () => {
    expect(loadEnv({ OIDC_JWKS_URL: '', OIDC_ISSUER: '', DATABASE_URL: '' }).OIDC_JWKS_URL).toBeUndefined();
    expect(problems({ ...PRODUCTION, API_KEY_PEPPER: '' })).toEqual([expect.stringMatching(/^API_KEY_PEPPER: required in production/)]);
  });
});

describe('read through the schema', () => {
  test('LOG_LEVEL: info by default, silent under test, an invalid one refused', () => {
    expect(loadEnv({}).LOG_LEVEL).toBe('info');
    expect(loadEnv({ NODE_ENV: 'test' }).LOG_LEVEL).toBe('silent');
    expect(loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }).LOG_LEVEL).toBe('warn');
    expect(problems({ LOG_LEVEL: 'loud' })).toEqual([expect.stringMatching(/^LOG_LEVEL: /)]);
    // The logger's reading, at each line: the same defaults, and `info` for a value loadEnv would refuse.
    expect(logLevel({})).toBe('info');
    expect(logLevel({ NODE_ENV: 'test' })).toBe('silent');
    expect(logLevel({ NODE_ENV: 'test', LOG_LEVEL: 'error' })).toBe('error');
    expect(logLevel({ LOG_LEVEL: 'loud' })).toBe('info');
  });

  test('BENCH_DATABASE_URL: a PostgreSQL URL, with a local default', () => {
    expect(loadEnv({}).BENCH_DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/conum_bench_activity');
    expect(problems({ BENCH_DATABASE_URL: 'mysql://h/db' })).toEqual([expect.stringMatching(/^BENCH_DATABASE_URL: /)]);
  });
});

describe('NATS_URL', () => {
  test('is optional, takes a nats:// URL, and refuses another scheme', () => {
    expect(loadEnv({}).NATS_URL).toBeUndefined();
    expect(loadEnv({ NATS_URL: '' }).NATS_URL).toBeUndefined();
    expect(loadEnv({ NATS_URL: 'nats://127.0.0.1:4222' }).NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(problems({ NATS_URL: 'http://127.0.0.1:4222' }).map((l) => l.split(':')[0])).toEqual(['NATS_URL']);
  });
});
