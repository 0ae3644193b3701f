import {
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  graphqlSync,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { directiveUses } from '../common/directives.js';
import { BadUserInputError } from '../common/errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../common/pagination.js';

/**
 * The price of an operation, computed before the gateway plans it (docs/security.md §8):
 * - an object costs 1, a scalar or enum 0;
 * - a list costs its size times the cost of one item. The size is the list's `@listSize` (schema/common): the value
 *   of one of its `slicingArguments` when given, else its `assumedSize`; a list without `@listSize` counts its
 *   `first`/`last`, else the default page (DEFAULT_PAGE_SIZE) when it takes them, else `defaultListSize` (every
 *   unpaginated list of objects in this API declares its size, test/unit/cost.test.ts checks it);
 * - a connection (an object field taking `first`/`last`) costs 1, and its page size multiplies the lists inside it
 *   (`edges`, `nodes`);
 * - an abstract type costs its dearest branch: fragments on different object types never both apply to one item;
 * - each mutation root field adds MUTATION_COST (writes are dearer than reads);
 * - introspection costs what it returns (introspectionPrice below) and does not count in depth;
 * - `@skip`/`@include` are ignored: the price is an upper bound.
 * Every operation is charged at least 1 point, so that free queries still drain a flood.
 */
export const COST = {
  object: 1,
  /** Page size assumed when a paginated field is called without `first`/`last`: the pager's own (common/pagination.ts). */
  defaultPageSize: DEFAULT_PAGE_SIZE,
  /** Size assumed for a list that takes no page arguments and declares no `@listSize`. */
  defaultListSize: 10,
  minPageSize: 1,
  maxPageSize: MAX_PAGE_SIZE,
  mutation: 10,
  minimum: 1,
} as const;

/** What the limits are checked against; every count is taken with fragments expanded. */
export interface OperationMeasure {
  /** Deepest field nesting (root fields are depth 1), introspection excluded. */
  depth: number;
  /** Aliased fields, `__typename` excluded. */
  aliases: number;
  /** Fields selected at the root, `__typename` excluded. */
  rootFields: number;
  /** Directives used anywhere in the operation. */
  directives: number;
  /** Field selections the gateway would have to plan (the fragment fan-out measure). */
  selections: number;
  /** Requested cost in points (see COST). */
  cost: number;
}

interface SetMeasure {
  depth: number;
  aliases: number;
  /** Fields at this level, `__typename` excluded (the root field count, at the root). */
  fields: number;
  directives: number;
  selections: number;
  cost: number;
}

const EMPTY: SetMeasure = { depth: 0, aliases: 0, fields: 0, directives: 0, selections: 0, cost: 0 };

function add(a: SetMeasure, b: SetMeasure): SetMeasure {
  return {
    depth: Math.max(a.depth, b.depth),
    aliases: a.aliases + b.aliases,
    fields: a.fields + b.fields,
    directives: a.directives + b.directives,
    selections: a.selections + b.selections,
    cost: a.cost + b.cost,
  };
}

const PAGE_ARGS = ['first', 'last'] as const;

/** A list's declared size: `@listSize(assumedSize:, slicingArguments:)`, as Apollo Router and Hive Gateway read it. */
export interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
}

/** `Type.field` → its `@listSize`. */
export type ListSizes = ReadonlyMap<string, ListSize>;

/**
 * Reads every `@listSize` of an SDL document: the supergraph's (the gateway's API schema has the composed
 * directive stripped, as for `@access`) or a subgraph's own.
 */
export function listSizes(sdl: DocumentNode): ListSizes {
  const sizes = new Map<string, ListSize>();
  for (const use of directiveUses(sdl, 'listSize')) {
    const assumedSize = use.argument('assumedSize');
    const slicingArguments = use.argument('slicingArguments');
    sizes.set(use.coordinate, {
      ...(typeof assumedSize === 'number' && { assumedSize }),
      ...(Array.isArray(slicingArguments) && { slicingArguments: slicingArguments.map(String) }),
    });
  }
  return sizes;
}

/**
 * Measures an operation that graphql-js has validated. Each fragment is measured once per page-size context and
 * the result reused at every spread, so a fan-out (each fragment spreading the previous one twice) costs time
 * linear in the document while its measures grow exponentially, as they must.
 * Throws BAD_USER_INPUT when a `first`/`last` or slicing argument's value is outside the pager's bounds (1–MAX_PAGE_SIZE).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
  sizes: ListSizes = new Map(),
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const memo = new Map<string, SetMeasure>();
  const inProgress = new Set<string>();

  /** A page-size argument's integer value, or null when absent, null or not an integer (coercion will refuse it later). */
  function intArgument(field: FieldNode, name: string): number | null {
    const argument = field.arguments?.find((a) => a.name.value === name);
    if (!argument) return null;
    let value: unknown;
    if (argument.value.kind === Kind.VARIABLE) {
      const variable = argument.value.name.value;
      if (variable in variables) value = variables[variable];
      else {
        const fallback = defaults.get(variable);
        value = fallback?.kind === Kind.INT ? Number(fallback.value) : null;
      }
    } else if (argument.value.kind === Kind.INT) value = Number(argument.value.value);
    if (typeof value !== 'number' || !Number.isInteger(value)) return null;
    if (value < COST.minPageSize || value > COST.maxPageSize) {
      throw new BadUserInputError(`\`${name}\` must be between ${COST.minPageSize} and ${COST.maxPageSize}; got ${value}.`, name, {
        fieldName: field.name.value,
        value,
        // Refused before execution, where Apollo would otherwise answer 500.
        http: { status: 400 },
      });
    }
    return value;
  }

  function fieldDefinition(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    if (parent === schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  }

  function measureField(node: FieldNode, parent: GraphQLCompositeType, pageSize: number | null, introspection: boolean): SetMeasure {
    const name = node.name.value;
    const definition = fieldDefinition(parent, name);
    const directives = node.directives?.length ?? 0;
    const isTypename = name === TypeNameMetaFieldDef.name;
    const own = { aliases: node.alias && !isTypename ? 1 : 0, fields: isTypename ? 0 : 1, directives, selections: 1 };
    if (!definition) return { ...EMPTY, ...own };
    const inIntrospection = introspection || name.startsWith('__');
    const declared = sizes.get(`${parent.name}.${name}`);
    const pageArgs = PAGE_ARGS.map((arg) => intArgument(node, arg));
    const sliced = declared?.slicingArguments?.map((arg) => intArgument(node, arg)).find((value) => value !== null);
    const size = sliced ?? pageArgs[0] ?? pageArgs[1];
    const paginated = definition.args.some((a) => (PAGE_ARGS as readonly string[]).includes(a.name));
    const namedType = getNamedType(definition.type);
    const isList = isListType(getNullableType(definition.type));
    // A connection passes its page size down to the lists it wraps (edges, nodes).
    const childPageSize = !isList && paginated ? (size ?? COST.defaultPageSize) : null;
    const child =
      node.selectionSet && isCompositeType(namedType) ? measureSet(node.selectionSet, namedType, childPageSize, inIntrospection) : EMPTY;
    const unsized = paginated ? COST.defaultPageSize : (pageSize ?? COST.defaultListSize);
    const multiplier = isList ? (size ?? declared?.assumedSize ?? unsized) : 1;
    const cost = inIntrospection
      ? introspection
        ? 0
        : introspectionPrice(schema, name)
      : multiplier * ((isCompositeType(namedType) ? COST.object : 0) + child.cost);
    return {
      depth: inIntrospection ? 0 : 1 + child.depth,
      aliases: own.aliases + child.aliases,
      fields: own.fields,
      directives: own.directives + child.directives,
      selections: own.selections + child.selections,
      cost,
    };
  }

  function measureFragment(name: string, pageSize: number | null, introspection: boolean): SetMeasure {
    const key = `${name}|${pageSize}|${introspection}`;
    const known = memo.get(key);
    if (known) return known;
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    if (!fragment || !isCompositeType(type)) return EMPTY;
    // graphql-js refuses cycles during validation; this guard keeps the measure total on unvalidated input.
    if (inProgress.has(name)) throw new GraphQLError(`Fragment "${name}" spreads itself.`);
    inProgress.add(name);
    const measured = measureSet(fragment.selectionSet, type, pageSize, introspection);
    inProgress.delete(name);
    const result = { ...measured, directives: measured.directives + (fragment.directives?.length ?? 0) };
    memo.set(key, result);
    return result;
  }

  /**
   * Fields and fragments that apply to every item are summed. On an abstract type, fragments on one object type
   * form that type's branch: an item is of one type only, so the set costs its dearest branch (a fragment on an
   * interface is counted as applying to every item, which keeps the price an upper bound). Other measures
   * (selections, directives, aliases) count every branch: the gateway plans them all.
   */
  function measureSet(set: SelectionSetNode, parent: GraphQLCompositeType, pageSize: number | null, introspection: boolean): SetMeasure {
    let total = EMPTY;
    const branches = new Map<string, number>();
    const include = (measure: SetMeasure, condition: GraphQLCompositeType) => {
      total = add(total, { ...measure, cost: 0 });
      if (condition !== parent && isObjectType(condition)) branches.set(condition.name, (branches.get(condition.name) ?? 0) + measure.cost);
      else total = { ...total, cost: total.cost + measure.cost };
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        include(measureField(selection, parent, pageSize, introspection), parent);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const spread = measureFragment(selection.name.value, pageSize, introspection);
        const condition = schema.getType(fragments.get(selection.name.value)?.typeCondition.name.value ?? '');
        include(
          { ...spread, directives: spread.directives + (selection.directives?.length ?? 0) },
          isCompositeType(condition) ? condition : parent,
        );
      } else {
        const condition = selection.typeCondition && schema.getType(selection.typeCondition.name.value);
        const type = isCompositeType(condition) ? condition : parent;
        const inline = measureSet(selection.selectionSet, type, pageSize, introspection);
        include({ ...inline, directives: inline.directives + (selection.directives?.length ?? 0) }, type);
      }
    }
    return { ...total, cost: total.cost + Math.max(0, ...branches.values()) };
  }

  const root = schema.getRootType(operation.operation);
  if (!root) {
    throw new GraphQLError(`This API has no ${operation.operation} operations.`, {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
    });
  }
  const measured = measureSet(operation.selectionSet, root, null, false);
  const writes = operation.operation === 'mutation' ? measured.fields * COST.mutation : 0;
  return {
    depth: measured.depth,
    aliases: measured.aliases,
    rootFields: measured.fields,
    directives: measured.directives + (operation.directives?.length ?? 0),
    selections: measured.selections,
    cost: Math.max(COST.minimum, measured.cost + writes),
  };
}

/**
 * Response keys of the operation's root fields that are introspection (`__schema`, `__type`, `__typename`), with the
 * field each names; fragments expanded, each read once.
 */
export function introspectionKeys(
  document: DocumentNode,
  set: SelectionSetNode,
  keys = new Map<string, string>(),
  seen = new Set<string>(),
): Map<string, string> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) keys.set(selection.alias?.value ?? selection.name.value, selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      introspectionKeys(document, selection.selectionSet, keys, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
      );
      if (fragment) introspectionKeys(document, fragment.selectionSet, keys, seen);
    }
  }
  return keys;
}

/** Objects in a value of the response: each non-null object costs 1, lists cost what they actually hold. */
function objectsIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + objectsIn(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  return COST.object + Object.values(value).reduce((sum: number, item) => sum + objectsIn(item), 0);
}

/**
 * The cost of what was actually returned, priced like the request: short pages and null objects cost less than
 * requested, and the difference goes back to the caller's budget (as Shopify does).
 */
export function actualCost(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  data: Record<string, unknown> | null | undefined,
): number {
  if (!data) return COST.minimum;
  const introspected = introspectionKeys(document, operation.selectionSet);
  let cost = 0;
  for (const [key, value] of Object.entries(data)) {
    const field = introspected.get(key);
    if (field) {
      // `__schema` and `__type` by their weight; `__typename` is free.
      if (field !== TypeNameMetaFieldDef.name) cost += introspectionCost(value);
      continue;
    }
    cost += objectsIn(value) + (operation.operation === 'mutation' && key !== '__typename' ? COST.mutation : 0);
  }
  return Math.max(COST.minimum, cost);
}

// Introspection, priced by what it returns ------------------------------------------------------------------------

/**
 * One point per 2 kB of introspection returned. A dashboard object costs 1 point for a few hundred bytes and its
 * SQL; a schema kilobyte is only serialised, hence 10 times cheaper by the byte. GraphiQL's query then costs about
 * 185 points: a playground opens many times within a user's budget, an anonymous address can fetch the schema about
 * every 9 s (20 points/s) after a burst of 5.
 */
export const INTROSPECTION_BYTES_PER_POINT = 2048;

/** Points for a part of an introspection result, by its weight as JSON. */
export function introspectionCost(value: unknown): number {
  return Math.ceil(JSON.stringify(value ?? null).length / INTROSPECTION_BYTES_PER_POINT);
}

const prices = new WeakMap<GraphQLSchema, { schema: number; type: number }>();

/**
 * The requested price of a root introspection field, computed once per schema from GraphiQL's query (the largest
 * introspection that passes graphql-js's introspection depth rule, in practice): the whole result for `__schema`,
 * the largest type for `__type`. Other fields (`__typename`) are free.
 */
export function introspectionPrice(schema: GraphQLSchema, fieldName: string): number {
  let price = prices.get(schema);
  if (!price) {
    const { data } = graphqlSync({ schema, source: getIntrospectionQuery() });
    const types = (data as { __schema: { types: unknown[] } }).__schema.types;
    price = { schema: introspectionCost(data?.__schema), type: Math.max(...types.map(introspectionCost)) };
    prices.set(schema, price);
  }
  if (fieldName === SchemaMetaFieldDef.name) return price.schema;
  if (fieldName === TypeMetaFieldDef.name) return price.type;
  return 0;
}
