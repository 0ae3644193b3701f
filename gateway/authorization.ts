import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  parse,
  valueFromASTUntyped,
  GraphQLError,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../subgraphs/common/errors.js';
import type { Viewer } from '../subgraphs/common/viewer.js';
import type { GatewayContext } from './context.js';

/** OR of ANDs of scopes, as declared with `@access(scopes: …)`. */
export type ScopeRule = string[][];

/** `Type` and `Type.field` → the rule declared on it in any subgraph (rules of several subgraphs must all hold). */
export type AccessRules = Map<string, ScopeRule[]>;

/**
 * Reads every `@access` of the composed supergraph. The gateway's API schema has the composed directive stripped,
 * which is why the rules come from the supergraph text.
 */
export function accessRules(supergraphSdl: string): AccessRules {
  const rules: AccessRules = new Map();
  const add = (coordinate: string, directives: readonly DirectiveNode[] | undefined) => {
    for (const d of directives ?? []) {
      if (d.name.value !== 'access') continue;
      const arg = d.arguments?.find((a) => a.name.value === 'scopes');
      if (arg) rules.set(coordinate, [...(rules.get(coordinate) ?? []), valueFromASTUntyped(arg.value) as ScopeRule]);
    }
  };
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    add(def.name.value, def.directives);
    for (const field of def.fields ?? []) add(`${def.name.value}.${field.name.value}`, field.directives);
  }
  return rules;
}

function satisfies(scopes: readonly string[], rule: ScopeRule): boolean {
  return rule.some((all) => all.every((s) => scopes.includes(s)));
}

/**
 * Every coordinate an operation reads (`Type.field`, and the named type each field returns), fragments expanded.
 * A fragment's coordinates are computed once: a fragment fan-out stays linear in the document size.
 */
export function readCoordinates(schema: GraphQLSchema, selectionSet: SelectionSetNode, rootType: GraphQLCompositeType, fragments: Record<string, FragmentDefinitionNode>): Set<string> {
  const memo = new Map<string, Set<string>>();
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, out: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        out.add(`${parent.name}.${name}`);
        if (!(isObjectType(parent) || isInterfaceType(parent))) continue;
        const field = parent.getFields()[name];
        if (!field) continue;
        const type = getNamedType(field.type);
        out.add(type.name);
        if (selection.selectionSet && (isObjectType(type) || isInterfaceType(type) || isUnionType(type))) {
          walk(selection.selectionSet, type as GraphQLCompositeType, out);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : parent;
        if (type !== parent) out.add(type.name);
        walk(selection.selectionSet, type ?? parent, out);
      } else {
        const name = selection.name.value;
        let cached = memo.get(name);
        if (!cached) {
          const fragment = fragments[name];
          cached = new Set();
          memo.set(name, cached);
          if (fragment) {
            const type = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType;
            cached.add(type.name);
            walk(fragment.selectionSet, type, cached);
          }
        }
        for (const c of cached) out.add(c);
      }
    }
  };
  const out = new Set<string>();
  walk(selectionSet, rootType, out);
  return out;
}

export interface Denial {
  coordinate: string;
  /** The alternatives that would have granted it. */
  requires: ScopeRule;
}

/** What the viewer may not read among the coordinates. */
export function denials(rules: AccessRules, coordinates: Iterable<string>, viewer: Viewer): Denial[] {
  const out: Denial[] = [];
  for (const coordinate of coordinates) {
    for (const rule of rules.get(coordinate) ?? []) {
      if (!satisfies(viewer.scopes, rule)) out.push({ coordinate, requires: rule });
    }
  }
  return out;
}

/**
 * Enforces `@access` per request, after the operation is resolved and before the gateway plans it. Not a
 * validation rule: validation is cached per query text and would carry one caller's rights to the next. The whole
 * request is refused, naming the fields and the scopes that would grant them: FORBIDDEN (403) for a caller who is
 * known, UNAUTHENTICATED (401) for an anonymous one. Refusing rather than filtering keeps the gateway's query-plan
 * cache (keyed by query text) safe to share between callers. In production, partner keys may not introspect and get
 * no field suggestions.
 */
export function authorizationPlugin(supergraphSdl: string, options: { production: boolean }): ApolloServerPlugin<GatewayContext> {
  const rules = accessRules(supergraphSdl);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document, schema }) {
          const { viewer } = contextValue;
          const fragments = Object.fromEntries(
            document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
          );
          const root = operation && schema.getRootType(operation.operation);
          if (!operation || !root) return;
          // Partner keys and anonymous callers read; only signed-in dashboard users write (subgraphs then check
          // which records their role may change).
          if (operation.operation === 'mutation' && viewer.kind !== 'user') {
            const anonymous = viewer.kind === 'anonymous';
            throw new GraphQLError(anonymous ? 'Sign in to change data.' : 'API keys are read-only.', {
              extensions: { code: anonymous ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN, http: { status: anonymous ? 401 : 403 } },
            });
          }
          const coordinates = readCoordinates(schema, operation.selectionSet, root, fragments);
          if (options.production && viewer.kind === 'api_key' && [...coordinates].some((c) => /\.__(schema|type)$/.test(c))) {
            throw new GraphQLError('Introspection is not available to API keys; the schema is documented in the playground.', {
              extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } },
            });
          }
          const denied = denials(rules, coordinates, viewer);
          if (!denied.length) return;
          const missingScopes = [...new Set(denied.flatMap((d) => d.requires.reduce((a, b) => (a.length <= b.length ? a : b))))].filter(
            (s) => !viewer.scopes.includes(s as never),
          );
          const fields = [...new Set(denied.map((d) => d.coordinate))];
          const anonymous = viewer.kind === 'anonymous';
          throw new GraphQLError(
            anonymous
              ? `Authentication required to read ${fields.join(', ')}.`
              : `Missing scope${missingScopes.length > 1 ? 's' : ''} ${missingScopes.join(', ')} to read ${fields.join(', ')}.`,
            {
              extensions: {
                code: anonymous ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN,
                missingScopes,
                fields,
                http: { status: anonymous ? 401 : 403 },
              },
            },
          );
        },
        async willSendResponse({ contextValue, response }) {
          // Field suggestions would let a partner map the schema without introspection.
          if (!options.production || contextValue.viewer.kind !== 'api_key' || response.body.kind !== 'single') return;
          const { errors } = response.body.singleResult;
          if (errors) response.body.singleResult.errors = errors.map((e) => ({ ...e, message: e.message.replace(/ ?Did you mean .*$/, '') }));
        },
      };
    },
  };
}
