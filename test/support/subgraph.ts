import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '../../common/db.js';
import type { SubgraphName } from '../../common/env.js';
import { formatError } from '../../common/errors.js';
import { buildSchema, createContext, openSubgraphOrm, type SubgraphDefinition } from '../../common/server.js';
import { SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';
import { subgraphs } from '../../subgraphs/registry.js';

export interface TestSubgraph {
  definition: SubgraphDefinition<unknown>;
  orm: MikroORM;
  /** Runs an operation in-process, as the gateway would send it, with a fresh request context (an admin unless told). */
  execute<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    viewer?: Viewer,
  ): Promise<{ data?: T | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }>;
  close(): Promise<void>;
}

/** One subgraph in-process on the test database (already migrated by global-setup), or on the migrated database given. */
export async function openTestSubgraph(name: SubgraphName, databaseUrl = testDatabaseUrl()): Promise<TestSubgraph> {
  const definition = subgraphs[name];
  const orm = await openSubgraphOrm(definition, databaseUrl, 4);
  const server = new ApolloServer({
    schema: buildSchema(definition),
    formatError,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  return {
    definition,
    orm,
    async execute(query, variables, viewer = SYSTEM_ADMIN) {
      const response = await server.executeOperation({ query, variables }, { contextValue: createContext(definition, orm, viewer) });
      if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
      return response.body.singleResult as never;
    },
    async close() {
      await server.stop();
      await orm.close();
    },
  };
}

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through `npm test` (jest global setup).');
  return url;
}
