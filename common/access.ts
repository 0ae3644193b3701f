import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  GraphQLError,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { directiveUses } from './directives.js';
import { ErrorCode } from './errors.js';
import type { Viewer } from './viewer.js';

/**
 * The `@access(scopes: …)` rules of the SDL, enforced the same way by the gateway (over the supergraph, so that a
 * client learns of a refusal before anything runs) and by every subgraph (over its own SDL, so that a signed call
 * that does not come through the gateway's check is held to the same rules).
 */

/** OR of ANDs of scopes, as declared with `@access(scopes: …)`. */
export type ScopeRule = string[][];

/** `Type` and `Type.field` → the rule declared on it in any subgraph (rules of several subgraphs must all hold). */
export type AccessRules = Map<string, ScopeRule[]>;

/**
 * Reads every `@access` of an SDL document: the supergraph's (the gateway's API schema has the composed directive
 * stripped, which is why the rules come from the text) or a subgraph's own.
 */
export function accessRules(sdl: DocumentNode): AccessRules {
  const rules: AccessRules = new Map();
  for (const use of directiveUses(sdl, 'access')) {
    const scopes = use.argument('scopes');
    if (scopes) rules.set(use.coordinate, [...(rules.get(use.coordinate) ?? []), scopes as ScopeRule]);
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
export function readCoordinates(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  rootType: GraphQLCompositeType,
  fragments: Record<string, FragmentDefinitionNode>,
): Set<string> {
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

/** The coordinates the resolved operation of a document reads; empty when there is no operation to run. */
export function operationCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | undefined,
): Set<string> {
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return new Set();
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return readCoordinates(schema, operation.selectionSet, root, fragments);
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
 * Refuses the whole request when the viewer may not read one of the coordinates, naming the fields and the scopes
 * that would grant them: FORBIDDEN (403) for a caller who is known, UNAUTHENTICATED (401) for an anonymous one.
 */
export function enforceAccess(rules: AccessRules, coordinates: Iterable<string>, viewer: Viewer): void {
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
}

/**
 * A subgraph's own enforcement of the `@access` rules of its SDL, per request, for the signed viewer: the gateway
 * already refuses such operations, this holds when a signed call reaches the subgraph another way. Refused as the
 * gateway refuses (the whole request), not as a validation rule, which Apollo caches per query text.
 */
export function fieldAccessPlugin<TContext extends { viewer: Viewer }>(typeDefs: DocumentNode): ApolloServerPlugin<TContext> {
  const rules = accessRules(typeDefs);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document, schema }) {
          enforceAccess(rules, operationCoordinates(schema, document, operation), contextValue.viewer);
        },
      };
    },
  };
}
