import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '../../common/db.js';
import type { SubgraphName } from '../../common/env.js';
import { formatError } from '../../common/errors.js';
import { buildSchema, createContext, openSubgraphOrm, type SubgraphDefinition } from '../../common/server.js';
import { SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { isOutOfReach } from './graphql.js';

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

/** Fails with the errors' messages when a response has any. */
export function expectNoErrors(response: { errors?: readonly { message: string }[] }): void {
  if (response.errors?.length) throw new Error(`GraphQL errors: ${response.errors.map((e) => e.message).join('; ')}`);
}

/**
 * Like expectNoErrors, except for entities out of the viewer's reach asked through `_entities`: the subgraph answers
 * them null with a FORBIDDEN error at their path (common/references.ts), which this checks.
 */
export function expectNoErrorsBesidesOutOfReach(response: {
  data?: unknown;
  errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}): void {
  const others = (response.errors ?? []).filter((error) => !isOutOfReach(error, response.data));
  expectNoErrors({ errors: others });
}
