import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { openSubgraphOrm, startSubgraph, type RunningSubgraph } from '../../common/server.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { BAD_REQUESTS, expectJsonRefusal } from '../support/bad-requests.js';
import { testDatabaseUrl } from '../support/subgraph.js';

/** A subgraph answers a request its HTTP layer cannot read in GraphQL's JSON shape, in every mode. */
describe.each(['development', 'production'])('a subgraph under NODE_ENV=%s', (mode) => {
  let subgraph: RunningSubgraph;
  beforeAll(async () => {
    const saved = process.env.NODE_ENV;
    // Express reads the mode when the app is created.
    process.env.NODE_ENV = mode;
    try {
      const orm = await openSubgraphOrm(subgraphs.training, testDatabaseUrl(), 1);
      subgraph = await startSubgraph(subgraphs.training, orm, { gatewaySecret: 's'.repeat(32) });
    } finally {
      process.env.NODE_ENV = saved;
    }
  });
  afterAll(async () => {
    await subgraph?.stop();
    await subgraph?.orm.close();
  });

  test.each(BAD_REQUESTS)('$name: $status $code', async (request) => {
    await expectJsonRefusal(subgraph.url, request);
  });
});
