import { GraphQLError, parse } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { accessRules, enforceAccess, operationCoordinates } from '../common/access.js';
import { ErrorCode } from '../common/errors.js';
import type { Viewer } from '../common/viewer.js';
import type { GatewayContext } from './context.js';

/**
 * Who may read the schema (`__schema`, `__type`) and be told "Did you mean …?": anyone outside production; in
 * production, every caller who identifies itself (dashboard users for the playground, partner keys for their code
 * generators), not anonymous callers (docs/security.md §3.4, after OWASP). The schema hides nothing that authorization
 * must protect: `@access` is the control, and the SDL is published with the code. Suggestions follow the same rule,
 * since they spell out the schema one field at a time.
 */
export function mayIntrospect(viewer: Viewer, production: boolean): boolean {
  return !production || viewer.kind !== 'anonymous';
}

/**
 * Enforces `@access` per request, after the operation is resolved and before the gateway plans it. Not a
 * validation rule: validation is cached per query text and would carry one caller's rights to the next. The whole
 * request is refused, naming the fields and the scopes that would grant them: FORBIDDEN (403) for a caller who is
 * known, UNAUTHENTICATED (401) for an anonymous one. Refusing rather than filtering keeps the gateway's query-plan
 * cache (keyed by query text) safe to share between callers. The rules and the refusal are those every subgraph
 * also applies to its own SDL (common/access.ts). Introspection follows `mayIntrospect`.
 */
export function authorizationPlugin(supergraphSdl: string, options: { production: boolean }): ApolloServerPlugin<GatewayContext> {
  const rules = accessRules(parse(supergraphSdl));
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document, schema }) {
          const { viewer } = contextValue;
          if (!operation) return;
          // Partner keys and anonymous callers read; only signed-in dashboard users write (subgraphs then check
          // which records their role may change).
          if (operation.operation === 'mutation' && viewer.kind !== 'user') {
            const anonymous = viewer.kind === 'anonymous';
            throw new GraphQLError(anonymous ? 'Sign in to change data.' : 'API keys are read-only.', {
              extensions: { code: anonymous ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN, http: { status: anonymous ? 401 : 403 } },
            });
          }
          const coordinates = operationCoordinates(schema, document, operation);
          if (!mayIntrospect(viewer, options.production) && [...coordinates].some((c) => /\.__(schema|type)$/.test(c))) {
            throw new GraphQLError(
              'Sign in to read the schema: put {"Authorization": "Bearer …"} in the Headers tab, then re-fetch the schema.',
              {
                extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
              },
            );
          }
          enforceAccess(rules, coordinates, viewer);
        },
        async willSendResponse({ contextValue, response }) {
          // Field suggestions would let a caller who may not introspect map the schema anyway.
          if (mayIntrospect(contextValue.viewer, options.production) || response.body.kind !== 'single') return;
          const { errors } = response.body.singleResult;
          if (errors)
            response.body.singleResult.errors = errors.map((e) => ({ ...e, message: e.message.replace(/ ?Did you mean .*$/, '') }));
        },
      };
    },
  };
}
