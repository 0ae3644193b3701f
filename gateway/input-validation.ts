import {
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLScalarType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { BadUserInputError, ErrorCode } from '../common/errors.js';
import { scalarResolvers } from '../common/scalars.js';
import type { GatewayContext } from './context.js';

/**
 * The gateway's schema is built from the supergraph, where a custom scalar is only a name: it accepts any value,
 * which the subgraph then refuses with an HTTP 400 the gateway can only report as its own failure. The rules live
 * once, in common/scalars.ts; this checks every argument against them before the operation is planned.
 */
const RULES: ReadonlyMap<string, GraphQLScalarType> = new Map(Object.values(scalarResolvers).map((scalar) => [scalar.name, scalar]));

/** A value that breaks a scalar's rule, where it is in the operation and why. */
class Invalid extends Error {
  constructor(
    readonly at: string,
    readonly reason: string,
    readonly variable?: string,
  ) {
    super(reason);
  }
}

function scalarRule(type: GraphQLInputType): GraphQLScalarType | undefined {
  return isScalarType(type) ? RULES.get(type.name) : undefined;
}

/** A variable's value (JSON), as far as its shape is the expected one: graphql-js reports the other shapes. */
function checkValue(value: unknown, type: GraphQLInputType, at: string): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return checkValue(value, type.ofType, at);
  if (isListType(type)) {
    if (Array.isArray(value)) value.forEach((item, i) => checkValue(item, type.ofType, `${at}[${i}]`));
    else checkValue(value, type.ofType, at);
    return;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) return;
    for (const [name, field] of Object.entries(type.getFields()))
      checkValue((value as Record<string, unknown>)[name], field.type, `${at}.${name}`);
    return;
  }
  const rule = scalarRule(type);
  if (!rule) return;
  try {
    rule.parseValue(value);
  } catch (error) {
    throw new Invalid(at, (error as Error).message);
  }
}

/** A literal, following the variables it holds to their values (or their defaults). */
function checkLiteral(
  node: ValueNode,
  type: GraphQLInputType,
  at: string,
  variables: Record<string, unknown>,
  defaults: Map<string, ValueNode>,
): void {
  if (node.kind === Kind.VARIABLE) {
    const name = node.name.value;
    const fallback = defaults.get(name);
    try {
      if (Object.hasOwn(variables, name)) checkValue(variables[name], type, at);
      else if (fallback) checkLiteral(fallback, type, at, variables, defaults);
    } catch (error) {
      throw error instanceof Invalid ? new Invalid(error.at, error.reason, name) : error;
    }
    return;
  }
  if (node.kind === Kind.NULL) return;
  if (isNonNullType(type)) return checkLiteral(node, type.ofType, at, variables, defaults);
  if (isListType(type)) {
    if (node.kind === Kind.LIST) node.values.forEach((item, i) => checkLiteral(item, type.ofType, `${at}[${i}]`, variables, defaults));
    else checkLiteral(node, type.ofType, at, variables, defaults);
    return;
  }
  if (isInputObjectType(type)) {
    if (node.kind !== Kind.OBJECT) return;
    const fields = type.getFields();
    for (const field of node.fields) {
      const definition = fields[field.name.value];
      if (definition) checkLiteral(field.value, definition.type, `${at}.${field.name.value}`, variables, defaults);
    }
    return;
  }
  const rule = scalarRule(type);
  if (!rule) return;
  try {
    rule.parseLiteral(node, undefined);
  } catch (error) {
    throw new Invalid(at, (error as Error).message);
  }
}

/** The fragments the operation spreads, transitively: each is walked once, however often it is spread. */
function fragmentsOf(document: DocumentNode, operation: OperationDefinitionNode): FragmentDefinitionNode[] {
  const all = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const seen = new Map<string, FragmentDefinitionNode>();
  const pending = [operation as OperationDefinitionNode | FragmentDefinitionNode];
  while (pending.length) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const fragment = all.get(spread.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.set(fragment.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...seen.values()];
}

/** Every argument of the operation (literal or variable) against the custom scalars' rules; throws the first breach. */
export function checkArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): void {
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const typeInfo = new TypeInfo(schema);
  for (const definition of [operation, ...fragmentsOf(document, operation)]) {
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Argument(node) {
          const argument = typeInfo.getArgument();
          if (!argument) return;
          const directive = typeInfo.getDirective();
          const owner = directive ? `@${directive.name}` : typeInfo.getFieldDef()?.name;
          try {
            checkLiteral(node.value, argument.type, node.name.value, variables, defaults);
          } catch (error) {
            if (!(error instanceof Invalid)) throw error;
            const via = error.variable ? ` (variable $${error.variable})` : '';
            throw new BadUserInputError(`Invalid value for argument "${error.at}" of ${owner}${via}: ${error.reason}`, error.at, {
              http: { status: 400 },
            });
          }
        },
      }),
    );
  }
}

/**
 * Refuses, before the gateway plans anything, what is the client's mistake but would otherwise surface as a failure
 * of the gateway or of a subgraph: no operation to run (several without `operationName`, or an unknown name: 400
 * BAD_REQUEST), and an argument breaking a custom scalar's rule (400 BAD_USER_INPUT naming the argument in `field`).
 */
export function inputValidationPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) {
            const name = request.operationName;
            throw new GraphQLError(
              name
                ? `The document has no operation named "${name.slice(0, 100)}".`
                : 'The document holds several operations: say which to run with `operationName`.',
              {
                extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } },
              },
            );
          }
          checkArguments(schema, document, operation, request.variables ?? {});
        },
      };
    },
  };
}
