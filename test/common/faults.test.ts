import { readFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { Authenticator } from '../../gateway/auth.js';
import { SUPERGRAPH_PATH } from '../../common/type-defs.js';
import { startGateway } from '../../gateway/server.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/env.js';
import { startSubgraph } from '../../common/server.js';
import { SCOPES } from '../../common/viewer.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createLogger } from '../../common/logger.js';
import { handlePoolErrors, isConnectionLost, readOnce } from '../../common/pg-errors.js';
import { uniqueId } from '../support/ids.js';
import { testDatabaseUrl } from '../support/subgraph.js';
import { createCra } from '../support/factories/activity.js';
import { createConvention } from '../support/factories/conventions.js';
import { createConseiller, createStructure } from '../support/factories/recruitment.js';
import { createTrainingPath } from '../support/factories/training.js';
import { STRUCTURE_OVERVIEW } from '../support/queries.js';
import { startTestSystem, TEST_SUBGRAPH_TIMEOUT_MS, type GraphQLResponse, type TestSystem } from '../support/system.js';

/** Rows of the four subgraphs around one structure; `id` is the structure's. */
async function seedOverview(
  system: TestSystem,
): Promise<{ id: string; advisorId: number; trainingPathId: number; craId: number; conventionId: number }> {
  const structure = await createStructure(system.orms.recruitment);
  const advisor = await createConseiller(system.orms.recruitment, { structureId: structure.id });
  const convention = await createConvention(system.orms.conventions, { structureId: structure.id });
  const trainingPath = await createTrainingPath(system.orms.training, { conseillerId: advisor.id, hours: 280 });
  const cra = await createCra(system.orms.activity, { conseillerId: advisor.id, structureId: structure.id, date: '2024-01-10' });
  return { id: String(structure.id), advisorId: advisor.id, trainingPathId: trainingPath.id, craId: cra.id, conventionId: convention.id };
}

// pg_terminate_backend needs a real server; PGlite (the fallback without DATABASE_URL) has no backends to end.
const onServer = process.env.DATABASE_URL ? describe : describe.skip;

onServer('PostgreSQL closes every connection under load', () => {
  // A database of its own: ending every backend of the shared test database would fail other files' tests.
  let database: TestDatabase;
  let system: TestSystem;
  let admin: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase('conum_faults', { migrated: true });
    // Budgets lifted: the partners below ask far more than a real one may.
    system = await startTestSystem({
      databaseUrl: database.url,
      limits: { buckets: { api_key: { capacity: 1e9, restoreRate: 1e9 } }, maxConcurrent: { api_key: 100 } },
    });
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await system?.stop();
    await database?.drop();
  });

  /**
   * Ends every other connection to the database (the gateway's API-key pool and the four subgraphs' pools) and waits
   * for those backends to be gone, so that every client has been told by the time this returns.
   */
  async function terminateBackends(): Promise<number> {
    const { rows } = await admin.query<{ pid: number; ended: boolean }>(
      'select pid, pg_terminate_backend(pid) as ended from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    const pids = rows.filter((r) => r.ended).map((r) => r.pid);
    while ((await admin.query('select 1 from pg_stat_activity where pid = any($1)', [pids])).rowCount)
      await new Promise((resolve) => setTimeout(resolve, 20));
    return pids.length;
  }

  test('the gateway and the subgraphs keep answering partner keys, and recover once the pools reconnect', async () => {
    const seeded = await seedOverview(system);
    const { key } = await system.apiKeys.create({ name: 'faults: terminated backends', scopes: [...SCOPES] });
    const partner = { authorization: `Bearer ${key}` };
    const ask = async () => {
      const res = await fetch(system.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...partner },
        body: JSON.stringify({ query: STRUCTURE_OVERVIEW, variables: { id: seeded.id } }),
      });
      const text = await res.text();
      return {
        status: res.status,
        ok: res.status === 200 && !(JSON.parse(text) as { errors?: unknown }).errors,
        body: () => JSON.parse(text) as unknown,
      };
    };
    const expected = {
      structure: {
        id: seeded.id,
        name: expect.any(String),
        conventions: [{ status: expect.any(String) }],
        conseillers: [
          { id: String(seeded.advisorId), lastName: expect.any(String), trainingPaths: [{ hours: 280 }], cras: [{ date: '2024-01-10' }] },
        ],
      },
    };
    expect((await ask()).body()).toMatchObject({ data: expected });

    // Six partners asking in a loop while every connection is ended twice, then once more with the pools idle.
    let loading = true;
    // An HTTP status per request; 0 for a request the gateway never answered.
    const answered: number[] = [];
    const callers = Array.from({ length: 6 }, async () => {
      while (loading)
        answered.push(
          await ask().then(
            (r) => r.status,
            () => 0,
          ),
        );
    });
    const waitForAnswers = async (n: number) => {
      const target = answered.length + n;
      while (answered.length < target) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    const ended: number[] = [];
    try {
      for (let round = 0; round < 2; round++) {
        await waitForAnswers(12);
        ended.push(await terminateBackends());
        await waitForAnswers(12);
      }
    } finally {
      loading = false;
      await Promise.all(callers);
    }
    ended.push(await terminateBackends());
    expect(ended.every((n) => n > 0)).toBe(true);
    // Every request got an HTTP answer (those caught mid-statement may carry an error).
    expect(answered.filter((status) => status === 0)).toEqual([]);

    // Once a request goes through again (the pools open new connections), every request does.
    let attempts = 0;
    while (!(await ask()).ok) {
      attempts++;
      expect(attempts).toBeLessThan(50);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const after = await Promise.all(Array.from({ length: 12 }, () => ask()));
    expect(after.map((r) => r.status)).toEqual(Array(12).fill(200));
    for (const r of after) expect(r.body()).toMatchObject({ data: expected });
    expect(after.every((r) => r.ok)).toBe(true);
  });
});

/** Root fields of the four subgraphs, each reaching into the others. */
const ACROSS = /* GraphQL */ `
  query ($id: ID!, $conventionId: ID!, $trainingPathId: ID!, $craId: ID!) {
    structure(id: $id) {
      id
      name
      conventions {
        status
      }
      conseillers {
        id
        lastName
        trainingPaths {
          hours
        }
        cras(last: 1) {
          date
        }
      }
    }
    convention(id: $conventionId) {
      id
      structure {
        id
        name
      }
    }
    trainingPath(id: $trainingPathId) {
      id
      hours
      conseiller {
        id
        lastName
      }
    }
    cra(id: $craId) {
      id
      date
      structure {
        id
        name
      }
    }
  }
`;

/** What each subgraph resolves in ACROSS: the path of each error when it is down (the data is null at or above it). */
const MISSING: Record<SubgraphName, { errors: (string | number)[][]; nulls: (string | number)[][] }> = {
  recruitment: {
    errors: [['structure'], ['convention', 'structure', 'name'], ['trainingPath', 'conseiller', 'lastName'], ['cra', 'structure', 'name']],
    nulls: [['structure'], ['convention', 'structure'], ['trainingPath', 'conseiller'], ['cra', 'structure']],
  },
  conventions: { errors: [['structure', 'conventions'], ['convention']], nulls: [['structure', 'conventions'], ['convention']] },
  training: {
    errors: [['structure', 'conseillers', 0, 'trainingPaths'], ['trainingPath']],
    nulls: [['structure', 'conseillers', 0, 'trainingPaths'], ['trainingPath']],
  },
  activity: { errors: [['structure', 'conseillers', 0, 'cras'], ['cra']], nulls: [['structure', 'conseillers', 0, 'cras'], ['cra']] },
};

function nulled(data: unknown, paths: (string | number)[][]): unknown {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  for (const path of paths) {
    let at = copy;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
    at[path.at(-1)!] = null;
  }
  return copy;
}

describe('one subgraph down', () => {
  let system: TestSystem;
  let admin: Record<string, string>;
  let variables: Record<string, string>;
  let complete: unknown;
  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.bearer({ sub: 'faults', role: 'admin' });
    const seeded = await seedOverview(system);
    variables = {
      id: seeded.id,
      conventionId: String(seeded.conventionId),
      trainingPathId: String(seeded.trainingPathId),
      craId: String(seeded.craId),
    };
    const all = await system.query(ACROSS, variables, admin);
    expect(all.errors).toBeUndefined();
    complete = all.data;
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** A gateway of its own, on the test system's subgraphs but for `name`, which it reaches at `url`. */
  const gatewayWith = (name: SubgraphName, url: string, subgraphTimeoutMs = TEST_SUBGRAPH_TIMEOUT_MS) =>
    startGateway({
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      subgraphUrls: { ...(Object.fromEntries(system.subgraphs.map((s) => [s.name, s.url])) as Record<SubgraphName, string>), [name]: url },
      gatewaySecret: system.gatewaySecret,
      authenticator: new Authenticator({ jwt: system.issuer.jwt, apiKeys: system.apiKeys }),
      subgraphTimeoutMs,
    });

  test.each(SUBGRAPH_NAMES)("%s stopped: the other three subgraphs' fields arrive, with an error at each missing field", async (name) => {
    // A second server of that subgraph, stopped before a gateway of its own queries it; the test system's stays up.
    const doomed = await startSubgraph(subgraphs[name], system.orms[name], { gatewaySecret: system.gatewaySecret });
    const gateway = await gatewayWith(name, doomed.url);
    try {
      await doomed.stop();
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...admin },
        body: JSON.stringify({ query: ACROSS, variables }),
      });
      const response = (await res.json()) as GraphQLResponse;
      expect(res.status).toBe(200);
      expect(response.data).toEqual(nulled(complete, MISSING[name].nulls));
      expect(response.errors?.map((e) => e.path).sort()).toEqual([...MISSING[name].errors].sort());
      for (const error of response.errors ?? [])
        expect(error.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: name });
      expect(JSON.stringify(response)).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED|https?:\/\//);
    } finally {
      await gateway.stop();
    }
  });

  test('a subgraph that takes the connection and never answers: SUBGRAPH_UNAVAILABLE at its fields once the timeout passes', async () => {
    // Accepts every connection and never writes a byte.
    const sockets = new Set<net.Socket>();
    const hung = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const port = (hung.address() as AddressInfo).port;
    const gateway = await gatewayWith('training', `http://127.0.0.1:${port}/graphql`, 300);
    try {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...admin },
        body: JSON.stringify({ query: ACROSS, variables }),
      });
      const response = (await res.json()) as GraphQLResponse;
      expect(res.status).toBe(200);
      expect(response.data).toEqual(nulled(complete, MISSING.training.nulls));
      expect(response.errors?.map((e) => e.path).sort()).toEqual([...MISSING.training.errors].sort());
      for (const error of response.errors ?? []) {
        expect(error.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'training' });
        expect(error.message).toBe('The training service did not answer within 0.3 s.');
      }
    } finally {
      await gateway.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
  });
});

onServer('a read whose connection PostgreSQL ends under it', () => {
  test('runs once more on a fresh connection (readOnce), where a plain pool.query fails', async () => {
    const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    handlePoolErrors(pool, createLogger('faults-test'));
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      const tag = `faults-read-once-${uniqueId()}`;
      const read = readOnce<{ ok: number }>(pool, `select 1 as ok from (select pg_sleep(0.5), $1::text) s`, [tag]);
      // Wait until the read is running, then end its backend.
      let ended = 0;
      while (!ended) {
        const { rowCount } = await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity where query like '%pg_sleep(0.5)%' and pid <> pg_backend_pid() and state = 'active'`,
        );
        ended = rowCount ?? 0;
        if (!ended) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect((await read).rows).toEqual([{ ok: 1 }]);
      expect(isConnectionLost({ code: '57P01' })).toBe(true);
      expect(isConnectionLost({ code: '23505' })).toBe(false);
    } finally {
      await admin.end();
      await pool.end();
    }
  });
});
