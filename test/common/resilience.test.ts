import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { openSubgraphOrm } from '../../common/server.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { createStructure } from '../support/factories/recruitment.js';
import { errorCodes } from '../support/graphql.js';
import { testDatabaseUrl } from '../support/subgraph.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

describe('SQL statement timeout', () => {
  // PGlite (the fallback when DATABASE_URL is unset) runs statements to completion: it has no timer to cancel them.
  const onServer = process.env.DATABASE_URL ? test : test.skip;
  onServer('a statement running past the cap is cancelled by PostgreSQL', async () => {
    const orm = await openSubgraphOrm(subgraphs.recruitment, testDatabaseUrl(), 1, 200);
    try {
      // Run to completion, pg_sleep(2) would succeed: the error is the cancellation.
      await expect(orm.em.getConnection().execute('select pg_sleep(2)')).rejects.toThrow(/statement timeout/);
    } finally {
      await orm.close();
    }
  });
});

describe('a subgraph goes down', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  test('the gateway answers what it can, names no internal address, and says which part failed', async () => {
    const admin = await system.bearer({ sub: 'chaos', role: 'admin' });
    const structure = await createStructure(system.orms.recruitment);
    const training = system.subgraphs.find((s) => s.name === 'training')!;
    await training.stop();
    const response = await system.query(`{ structure(id: "${structure.id}") { id } trainingPath(id: "1") { id } }`, undefined, admin);
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ structure: { id: String(structure.id) }, trainingPath: null });
    const text = JSON.stringify(response);
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED|https?:\/\//);
    expect(errorCodes(response)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    // The gateway itself stays up and reports the missing part.
    const ready = await fetch(new URL('/ready', system.gatewayUrl));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', subgraphs: { training: false, recruitment: true } });
  });
});
