import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import { BadUserInputError } from './errors.js';

/** Where the first NUL sits in a literal: the argument (or variable default) and the input fields down to it. */
function nulInLiteral(value: ValueNode, path: string): string | undefined {
  switch (value.kind) {
    case Kind.STRING:
      return value.value.includes('\0') ? path : undefined;
    case Kind.LIST:
      for (const [i, item] of value.values.entries()) {
        const found = nulInLiteral(item, `${path}[${i}]`);
        if (found) return found;
      }
      return undefined;
    case Kind.OBJECT:
      for (const field of value.fields) {
        const found = nulInLiteral(field.value, `${path}.${field.name.value}`);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Where the first NUL sits in a variable's JSON value. */
function nulInValue(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulInValue(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulInValue(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** The first argument, input field or variable holding a NUL character, as `arg.field[0]` or `$variable.field`. */
export function findNulCharacter(document: DocumentNode, variables: Record<string, unknown> | undefined): string | undefined {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const found = nulInValue(value, `$${name}`);
    if (found) return found;
  }
  let found: string | undefined;
  visit(document, {
    Argument(node) {
      found ??= nulInLiteral(node.value, node.name.value);
    },
    VariableDefinition(node) {
      if (node.defaultValue) found ??= nulInLiteral(node.defaultValue, `$${node.variable.name.value}`);
    },
  });
  return found;
}

/**
 * Refuses any operation whose text input holds a NUL (U+0000): PostgreSQL cannot store one in text and fails the
 * whole statement, so it is the client's mistake (BAD_USER_INPUT naming where it is), not a server error. Used by
 * the gateway and by every subgraph, which does not trust what reaches it.
 */
export function nulCharacterGuard<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const field = findNulCharacter(document, request.variables);
          if (field) {
            throw new BadUserInputError(`Text may not contain a NUL character (U+0000): ${field}.`, field, { http: { status: 400 } });
          }
        },
      };
    },
  };
}
