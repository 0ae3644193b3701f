import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import {
  buildASTSchema,
  buildSchema,
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  isObjectType,
  Kind,
  parse,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { SUPERGRAPH_PATH } from '../../common/type-defs.js';
import { actualCost, COST, introspectionPrice, listSizes, measureOperation, type ListSizes } from '../../gateway/cost.js';
import { lexicalNesting } from '../../gateway/limits.js';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    structure(id: ID!): Structure
    structures(first: Int, last: Int, after: String): StructureConnection!
    advisors: [Advisor!]!
    name: String
  }
  type Mutation {
    createCra(advisorId: ID!): Cra!
    deleteCra(id: ID!): Boolean!
  }
  type StructureConnection {
    edges: [StructureEdge!]!
    nodes: [Structure!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
  type StructureEdge {
    cursor: String!
    node: Structure!
  }
  type PageInfo {
    hasNextPage: Boolean!
  }
  type Structure {
    id: ID!
    name: String!
    parent: Structure
    advisors: [Advisor!]!
  }
  type Advisor {
    id: ID!
    structure: Structure
    cras(last: Int): [Cra!]!
  }
  type Cra {
    id: ID!
  }
`);

function measure(source: string, variables: Record<string, unknown> = {}, on: GraphQLSchema = schema, sizes?: ListSizes) {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return measureOperation(on, document, operation, variables, sizes);
}

/** Requested and actual cost of one operation on `data`. */
function costs(source: string, data: Record<string, unknown>, on: GraphQLSchema, sizes: ListSizes) {
  const document = parse(source);
  const operation = document.definitions[0] as OperationDefinitionNode;
  return { requested: measureOperation(on, document, operation, {}, sizes).cost, actual: actualCost(document, operation, data) };
}

/** Declared list sizes and abstract types, as the SDL of schema/ declares them. */
const DECLARED_SDL = /* GraphQL */ `
  directive @listSize(assumedSize: Int, slicingArguments: [String!]) on FIELD_DEFINITION
  type Query {
    departements: [Departement!] @listSize(assumedSize: 109)
    advisors: [Advisor!]! @listSize(assumedSize: 5)
    actors: [Actor!]! @listSize(assumedSize: 4)
    node(id: ID!): Node
  }
  type Departement {
    code: ID!
    region: Region
  }
  type Region {
    code: ID!
  }
  interface Node {
    id: ID!
  }
  union Actor = Structure | Advisor
  type Structure implements Node {
    id: ID!
    advisors: [Advisor!]! @listSize(assumedSize: 5)
    region: Region
  }
  type Advisor implements Node {
    id: ID!
    cras(last: Int): [Cra!] @listSize(assumedSize: 20, slicingArguments: ["last"])
  }
  type Cra {
    id: ID!
  }
`;
const declared = buildSchema(DECLARED_SDL);
const declaredSizes = listSizes(parse(DECLARED_SDL));

/** 30 levels, each spreading the previous twice: 2^30 expanded leaves in about 1.5 kB. */
function fanOut(levels: number, leaf: string): string {
  const fragments = [`fragment F0 on Structure { ${leaf} }`];
  for (let i = 1; i <= levels; i++) fragments.push(`fragment F${i} on Structure { ...F${i - 1} ...F${i - 1} }`);
  return `{ structure(id: 1) { ...F${levels} } }\n${fragments.join('\n')}`;
}

describe('cost', () => {
  test('objects cost 1, scalars nothing, and every operation at least 1 point', () => {
    expect(measure('{ name }').cost).toBe(COST.minimum);
    expect(measure('{ structure(id: 1) { id name } }').cost).toBe(1);
    expect(measure('{ structure(id: 1) { id parent { id parent { id } } } }').cost).toBe(3);
  });

  test('a connection costs 1 and its page size multiplies the lists inside it', () => {
    const query = '{ structures(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage } totalCount } }';
    // connection 1 + 10 × (edge 1 + node 1) + pageInfo 1
    expect(measure(query).cost).toBe(1 + 10 * 2 + 1);
    expect(measure('{ structures(last: 5) { nodes { id } } }').cost).toBe(1 + 5);
  });

  test('first/last come from variables, then from the variable default, then the default page size', () => {
    const query = 'query ($n: Int = 7) { structures(first: $n) { nodes { id advisors { id } } } }';
    // each node: 1 + a plain list of DEFAULT_LIST_SIZE advisors
    const perNode = 1 + COST.defaultListSize;
    expect(measure(query, { n: 50 }).cost).toBe(1 + 50 * perNode);
    expect(measure(query).cost).toBe(1 + 7 * perNode);
    expect(measure('{ structures { nodes { id } } }').cost).toBe(1 + COST.defaultPageSize);
    expect(measure('query ($n: Int) { structures(first: $n) { nodes { id } } }', { n: null }).cost).toBe(1 + COST.defaultPageSize);
  });

  test('plain lists count DEFAULT_LIST_SIZE items; a list taking `last` counts that many', () => {
    expect(measure('{ advisors { id } }').cost).toBe(COST.defaultListSize);
    expect(measure('{ advisors { cras(last: 3) { id } } }').cost).toBe(COST.defaultListSize * (1 + 3));
    expect(measure('{ advisors { cras { id } } }').cost).toBe(COST.defaultListSize * (1 + COST.defaultPageSize));
  });

  test('first/last outside 1–100 are refused with BAD_USER_INPUT, literal or variable', () => {
    for (const [query, variables] of [
      ['query ($n: Int) { structures(first: $n) { totalCount } }', { n: 101 }],
      ['{ structures(first: 0) { totalCount } }', {}],
      ['{ advisors { cras(last: -1) { id } } }', {}],
      ['query ($n: Int = 500) { structures(last: $n) { totalCount } }', {}],
    ] as const) {
      expect(() => measure(query, variables)).toThrow(GraphQLError);
      try {
        measure(query, variables);
      } catch (error) {
        expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', http: { status: 400 } });
      }
    }
    expect(measure('query ($n: Int) { structures(first: $n) { totalCount } }', { n: 100 }).cost).toBe(1);
  });

  test('each mutation root field adds the write cost', () => {
    expect(measure('mutation { createCra(advisorId: 1) { id } }').cost).toBe(1 + COST.mutation);
    expect(measure('mutation { a: createCra(advisorId: 1) { id } b: deleteCra(id: 2) }').cost).toBe(1 + 2 * COST.mutation);
  });

  test('fragments, inline fragments and inline selections cost the same', () => {
    const inline = measure('{ structures(first: 4) { edges { node { id parent { id } } } } }');
    const spread = measure(
      '{ structures(first: 4) { ...Page } } fragment Page on StructureConnection { edges { ...Node } } fragment Node on StructureEdge { node { id parent { id } } }',
    );
    const typed = measure('{ structures(first: 4) { ... on StructureConnection { edges { node { ... { id parent { id } } } } } } }');
    expect(spread).toEqual(inline);
    expect(typed.cost).toBe(inline.cost);
    expect(inline.cost).toBe(1 + 4 * 3);
  });

  test('a fragment is priced per page size: the same fragment under first: 5 and first: 50', () => {
    const query =
      '{ a: structures(first: 5) { ...Page } b: structures(first: 50) { ...Page } } fragment Page on StructureConnection { nodes { id } }';
    expect(measure(query).cost).toBe(1 + 5 + 1 + 50);
  });

  test('a fragment fan-out is measured in linear time (memoised) with its true, exponential size', () => {
    const source = fanOut(30, 'parent { id }');
    expect(source.length).toBeLessThan(2_000);
    // Expanding 2^30 selections would not finish: the exact count is the proof of memoisation.
    const measured = measure(source);
    expect(measured.cost).toBe(1 + 2 ** 30);
    expect(measured.selections).toBe(1 + 2 ** 31);
    expect(measured.depth).toBe(3);
  });

  test('depth, aliases, root fields and directives are counted with fragments expanded', () => {
    const measured = measure(`
      query ($x: Boolean!) {
        a: structure(id: 1) { ...Deep @include(if: true) }
        b: structure(id: 2) { __typename t: __typename }
        name @include(if: $x)
        __typename
      }
      fragment Deep on Structure { p: parent @skip(if: $x) { parent { parent { id } } } }
    `);
    // a → p → parent → parent → id
    expect(measured.depth).toBe(5);
    // a, b, p; aliased __typename is free
    expect(measured.aliases).toBe(3);
    expect(measured.rootFields).toBe(3);
    expect(measured.directives).toBe(3);
  });

  test('introspection adds no depth, its selections count, and it is priced at what the whole introspection returns', () => {
    const measured = measure('{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }');
    expect(measured.depth).toBe(0);
    expect(measured.cost).toBe(introspectionPrice(schema, '__schema'));
    expect(measured.cost).toBeGreaterThan(COST.minimum);
    expect(measure('{ __type(name: "Structure") { name } }').cost).toBe(introspectionPrice(schema, '__type'));
    expect(measured.selections).toBe(11);
  });

  test('naming the operation or a fragment `__schema` does not make it free (graphql-armor GHSA-733v-p3h5-qpq7)', () => {
    const query = 'query __schema { structures(first: 50) { ...__schema } } fragment __schema on StructureConnection { nodes { id } }';
    expect(measure(query).cost).toBe(1 + 50);
    expect(measure(query).depth).toBe(3);
  });

  test('an unvalidated fragment cycle is refused instead of looping', () => {
    expect(() =>
      measure('{ structure(id: 1) { ...A } } fragment A on Structure { parent { ...B } } fragment B on Structure { ...A }'),
    ).toThrow(/spreads itself/);
  });
});

describe('declared list sizes (@listSize)', () => {
  test('a list costs its assumedSize, or the slicing argument the caller gave', () => {
    expect(measure('{ departements { code } }', {}, declared, declaredSizes).cost).toBe(109);
    expect(measure('{ advisors { id } }', {}, declared, declaredSizes).cost).toBe(5);
    expect(measure('{ advisors { cras { id } } }', {}, declared, declaredSizes).cost).toBe(5 * (1 + 20));
    expect(measure('query ($n: Int) { advisors { cras(last: $n) { id } } }', { n: 2 }, declared, declaredSizes).cost).toBe(5 * (1 + 2));
    expect(() => measure('{ advisors { cras(last: 101) { id } } }', {}, declared, declaredSizes)).toThrow(GraphQLError);
  });

  test('the requested cost of every département is not below its actual cost', () => {
    const data = { departements: Array.from({ length: 109 }, (_, i) => ({ code: String(i), region: { code: 'r' } })) };
    const { requested, actual } = costs('{ departements { code region { code } } }', data, declared, declaredSizes);
    expect(actual).toBe(218);
    expect(requested).toBe(218);
  });

  test('an abstract type costs its dearest branch, not the sum of its branches', () => {
    const query = '{ actors { ... on Structure { region { code } advisors { id } } ... on Advisor { cras(last: 3) { id } } } }';
    // Structure: 1 + 5 advisors = 6 (dearer than Advisor's 3); each of 4 actors 1 + 6.
    expect(measure(query, {}, declared, declaredSizes).cost).toBe(4 * (1 + 6));
    // Fragments on one type add up; a fragment on an interface applies to every item.
    const twice =
      '{ actors { ... on Advisor { cras(last: 3) { id } } ... on Advisor { a: cras(last: 4) { id } } ... on Structure { region { code } } } }';
    expect(measure(twice, {}, declared, declaredSizes).cost).toBe(4 * (1 + 7));
    const named = '{ node(id: 1) { ...S ... on Node { id } } } fragment S on Structure { region { code } }';
    expect(measure(named, {}, declared, declaredSizes).cost).toBe(1 + 1);
    const data = { actors: [{ region: { code: 'r' }, advisors: [{ id: '1' }, { id: '2' }] }, { cras: [{ id: '1' }] }] };
    const { requested, actual } = costs(query, data, declared, declaredSizes);
    expect(actual).toBeLessThanOrEqual(requested);
  });

  test('the supergraph carries every @listSize, and every list of objects outside a connection declares one', () => {
    const supergraph = parse(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    const sizes = listSizes(supergraph);
    expect(sizes.get('Query.departements')).toEqual({ assumedSize: 109 });
    expect(sizes.get('Conseiller.cras')).toEqual({ assumedSize: 20, slicingArguments: ['last'] });
    const api = buildASTSchema(supergraph, { assumeValidSDL: true });
    const lists: string[] = [];
    for (const type of Object.values(api.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || type.name.endsWith('Connection')) continue;
      for (const field of Object.values(type.getFields())) {
        if (isListType(getNullableType(field.type)) && isObjectType(getNamedType(field.type))) lists.push(`${type.name}.${field.name}`);
      }
    }
    expect(lists.length).toBeGreaterThan(50);
    expect(lists.filter((coordinate) => !sizes.has(coordinate))).toEqual([]);
  });
});

describe('actual cost', () => {
  test('prices what came back: short pages and null objects cost less than requested', () => {
    const document = parse('{ structures(first: 10) { edges { node { id parent { id } } } pageInfo { hasNextPage } } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    const data = {
      structures: {
        edges: [{ node: { id: '1', parent: null } }, { node: { id: '2', parent: { id: '1' } } }],
        pageInfo: { hasNextPage: false },
      },
    };
    // connection 1 + 2 edges + 2 nodes + 1 parent + pageInfo 1
    expect(actualCost(document, operation, data)).toBe(7);
    expect(measureOperation(schema, document, operation).cost).toBe(1 + 10 * 3 + 1);
  });

  test('introspection costs a point per 2 kB it returns and mutations pay the write cost', () => {
    const introspection = parse('{ s: __schema { queryType { name } } structure(id: 1) { id } }');
    expect(
      actualCost(introspection, introspection.definitions[0] as OperationDefinitionNode, {
        s: { queryType: { name: 'Query' } },
        structure: { id: '1' },
      }),
    ).toBe(1 + 1);
    const types = Array.from({ length: 100 }, (_, i) => ({ name: `Type${i}`, description: 'x'.repeat(20) }));
    expect(actualCost(introspection, introspection.definitions[0] as OperationDefinitionNode, { s: { types } })).toBe(
      Math.ceil(JSON.stringify({ types }).length / 2048),
    );
    const mutation = parse('mutation { createCra(advisorId: 1) { id } }');
    expect(actualCost(mutation, mutation.definitions[0] as OperationDefinitionNode, { createCra: { id: '9' } })).toBe(1 + COST.mutation);
  });
});

describe('lexical nesting', () => {
  test('counts brackets, braces and parentheses, not those inside strings or comments', () => {
    expect(lexicalNesting('{ a { b(x: [1, [2]]) } }')).toBe(5);
    expect(lexicalNesting('{ a(s: "{{{{[[[(((") # {{{{{{\n }')).toBe(2);
    expect(lexicalNesting('{ a(s: """ {{{ \\""" {{{ """) }')).toBe(2);
    expect(lexicalNesting('{ a(s: "\\"{{{") }')).toBe(2);
  });

  test('stops at the first level past the limit', () => {
    const deep = '{ a '.repeat(100_000);
    expect(lexicalNesting(deep, 64)).toBe(65);
  });
});
