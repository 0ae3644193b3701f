import type { ApolloServerPlugin } from '@apollo/server';
import { SchemaMetaFieldDef, TypeMetaFieldDef, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { ErrorCode } from '../common/errors.js';
import type { GatewayContext } from './context.js';
import { introspectionKeys } from './cost.js';
import { limitError } from './limits.js';

/**
 * Introspection is answered by the gateway alone, from memory, but not for free: GraphiQL's query returns the whole
 * schema (about 370 kB), and 15 aliased `__schema` in a 5 kB request made the gateway write 4.8 MB. So an operation
 * may ask for the schema once and for a few types (here), and introspection is priced by what it returns (cost.ts).
 */
export const INTROSPECTION_LIMITS = {
  /** `__schema` response keys per operation (fragments expanded): one is all the playground or a code generator asks. */
  schema: 1,
  /** `__type` response keys per operation: a client checking a few types by name. */
  type: 10,
} as const;

/**
 * How many `__schema` and `__type` an operation asks for: its distinct root response keys naming them, fragments
 * expanded. Fields with the same key merge, so they are one.
 */
export function countIntrospection(document: DocumentNode, operation: OperationDefinitionNode): { schema: number; type: number } {
  const fields = [...introspectionKeys(document, operation.selectionSet).values()];
  return {
    schema: fields.filter((f) => f === SchemaMetaFieldDef.name).length,
    type: fields.filter((f) => f === TypeMetaFieldDef.name).length,
  };
}

/**
 * Refuses an operation asking for more introspection than INTROSPECTION_LIMITS, before anything runs, with the
 * same code for every caller (`MAX_INTROSPECTION_LIMIT`, 400). Listed before the limit plugins, whose cost check
 * would otherwise answer first for some callers only.
 */
export function introspectionLimitPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation }) {
          if (!operation) return;
          const counted = countIntrospection(document, operation);
          if (counted.schema > INTROSPECTION_LIMITS.schema) {
            throw limitError(ErrorCode.MAX_INTROSPECTION_LIMIT, '`__schema` count', counted.schema, INTROSPECTION_LIMITS.schema);
          }
          if (counted.type > INTROSPECTION_LIMITS.type) {
            throw limitError(ErrorCode.MAX_INTROSPECTION_LIMIT, '`__type` count', counted.type, INTROSPECTION_LIMITS.type);
          }
        },
      };
    },
  };
}
