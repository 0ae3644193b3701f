import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  parse,
  type GraphQLField,
  type GraphQLInputType,
  type OperationDefinitionNode,
} from 'graphql';
import { measureOperation } from '../../gateway/cost.js';
import { SUPERGRAPH_PATH } from '../../common/type-defs.js';
import type { MikroORM } from '../../common/db.js';
import type { SubgraphName } from '../../common/env.js';
import { createPlace } from '../../subgraphs/activity/services/place.service.js';
import { postRequestDecided } from '../../common/events/catalogue.js';
import { feed, postRequestState } from '../support/events.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import { createCra } from '../support/factories/activity.js';
import { createConvention, openTestConvention } from '../support/factories/conventions.js';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { createLearner, createLot, createSession, uniqueTerritoryCode } from '../support/factories/training.js';
import { uniqueId } from '../support/ids.js';
import { countStatements } from '../support/sql-counter.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

/**
 * A made-up département code (800–999) no agreement of the shared test database holds yet, drawn at random: the
 * conventions scopes filter on it, and two scopes (or another file) landing on one code would mix their rows.
 */
async function unusedDepartement(orm: TestSubgraph['orm']): Promise<string> {
  const used = await orm.em
    .fork()
    .getConnection()
    .execute<{ code: string }[]>(`select distinct departement_code as code from conventions.convention where departement_code >= '800'`);
  const taken = new Set(used.map((r) => r.code));
  const free = Array.from({ length: 200 }, (_, i) => String(800 + i)).filter((code) => !taken.has(code));
  return free[uniqueId() % free.length]!;
}

/**
 * The pagination convention, checked on every connection of the supergraph (a new list cannot skip it: the table
 * below must name each one): `first/after` and `last/before` page through the same rows in the same order with
 * the right hasNextPage/hasPreviousPage, `nodes` is `edges.node`, every orderBy field sorts both ways, enum filters
 * take lists, the arguments come in one order, and a page costs the same statements whatever its size.
 */
const schema = buildSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'), { assumeValidSDL: true });
const CONNECTIONS = Object.values(schema.getQueryType()!.getFields()).filter((f) => getNamedType(f.type).name.endsWith('Connection'));
const PAGING = ['first', 'after', 'last', 'before'];

interface Case {
  subgraph: SubgraphName;
  /** Creates 5 rows of the list, apart from other tests' rows, and returns the arguments that list just them. */
  setup(orm: MikroORM): Promise<Record<string, unknown>>;
  /** Node fields holding each orderBy field's value, to check the order. */
  sortedBy?: Record<string, string>;
  /** Extra filter criteria (list-valued enum filters) and how many of the 5 rows each keeps. */
  filters?: [Record<string, unknown>, number][];
}

const ROWS = 5;
const order = [3, 1, 4, 0, 2];
const day = (i: number) => `2024-0${order[i]! + 1}-1${i}`;
const openingHours = Array.from({ length: 7 }, () => ({}));

const CASES: Record<string, Case> = {
  cras: {
    subgraph: 'activity',
    async setup(orm) {
      const structureId = uniqueId();
      for (let i = 0; i < ROWS; i++) {
        await createCra(orm, { conseillerId: uniqueId(), structureId, date: day(i), ...(i < 2 ? { activityType: 'PONCTUEL' } : {}) });
      }
      return { filter: { structureId: String(structureId) } };
    },
    sortedBy: { DATE: 'date', CREATED_AT: 'createdAt' },
    filters: [
      [{ activityType: ['PONCTUEL'] }, 2],
      [{ activityType: ['PONCTUEL', 'INDIVIDUEL'] }, 5],
      [{ activityType: [] }, 5],
    ],
  },
  places: {
    subgraph: 'activity',
    async setup(orm) {
      const structureId = uniqueId();
      for (let i = 0; i < ROWS; i++) {
        const accessTypes = i < 2 ? (['RDV'] as const) : (['LIBRE', 'PRIVE'] as const);
        await createPlace(orm.em.fork() as never, SYSTEM_ADMIN, {
          place: {
            structureId,
            name: `Lieu ${order[i]}`,
            street: 'rue Haute',
            postalCode: '48000',
            communeCode: '48095',
            openingHours,
            accessTypes: [...accessTypes],
          },
        });
      }
      return { filter: { structureId: String(structureId) } };
    },
    sortedBy: { ID: 'id', NAME: 'name' },
    filters: [
      [{ accessType: ['RDV'] }, 2],
      [{ accessType: ['RDV', 'PRIVE'] }, 5],
      [{ accessType: ['PRIVE'] }, 3],
    ],
  },
  conventions: {
    subgraph: 'conventions',
    async setup(orm) {
      const departementCode = await unusedDepartement(orm);
      for (let i = 0; i < ROWS; i++) {
        await openTestConvention(orm, { structureId: uniqueId(), departementCode, startDate: day(i), advisorPosts: order[i]! + 1 });
      }
      return { filter: { departementCode } };
    },
    sortedBy: { ID: 'id', START_DATE: 'startDate', END_DATE: 'endDate', POSTS_COUNT: 'postsCount' },
    filters: [
      [{ phase: ['PHASE_1'] }, 5],
      [{ phase: ['PHASE_2'] }, 0],
      [{ phase: ['PHASE_2', 'PHASE_1'] }, 5],
    ],
  },
  amendments: {
    subgraph: 'conventions',
    async setup(orm) {
      const departementCode = await unusedDepartement(orm);
      for (let i = 0; i < ROWS; i++) {
        const convention = await createConvention(orm, { structureId: uniqueId(), departementCode });
        // Requests recruitment refused: recorded on the agreement, which they leave as it was.
        const refused = postRequestState({
          structureId: convention.structureId,
          accepted: false,
          reason: 'RENFORCER_EQUIPE',
          requestedOn: day(i),
        });
        await feed(orm, 'conventions', postRequestDecided, refused.postRequestId, refused);
      }
      return { filter: { departementCode } };
    },
    sortedBy: { ID: 'id', REQUESTED_ON: 'requestedOn' },
    filters: [
      [{ type: ['AJOUT'] }, 5],
      [{ type: ['RETRAIT'] }, 0],
      [{ type: ['RETRAIT', 'AJOUT'], status: ['REFUSEE'] }, 5],
    ],
  },
  structures: {
    subgraph: 'recruitment',
    async setup(orm) {
      const regionCode = uniqueTerritoryCode(3);
      for (let i = 0; i < ROWS; i++)
        await createStructure(orm, {
          regionCode,
          name: `Structure ${order[i]}`,
          postQuota: order[i]! + 1,
          type: i < 2 ? 'PRIVATE' : 'COMMUNE',
        });
      return { filter: { regionCode } };
    },
    sortedBy: { ID: 'id', NAME: 'name', CREATED_AT: 'createdAt', POST_QUOTA: 'postQuota' },
    filters: [
      [{ sector: ['PRIVATE'] }, 2],
      [{ sector: ['PUBLIC', 'PRIVATE'] }, 5],
      [{ qpvStatus: ['NON', 'OUI'] }, 5],
    ],
  },
  conseillers: {
    subgraph: 'recruitment',
    async setup(orm) {
      const regionCode = uniqueTerritoryCode(3);
      for (let i = 0; i < ROWS; i++) await createConseiller(orm, { regionCode, lastName: `Nom${order[i]}` });
      return { filter: { regionCode } };
    },
    sortedBy: { ID: 'id', LAST_NAME: 'lastName', CREATED_AT: 'createdAt' },
    filters: [[{ status: ['CANDIDAT', 'RECRUTE'] }, 5]],
  },
  nearestCandidates: {
    subgraph: 'recruitment',
    async setup(orm) {
      // A spot in the Pacific of its own: nobody else's candidates are within reach.
      const here = { latitude: -50 + (uniqueId() % 1000) / 100, longitude: -140 };
      const structure = await createStructure(orm, here);
      for (let i = 0; i < ROWS; i++) await createConseiller(orm, { latitude: here.latitude + order[i]! / 100, longitude: here.longitude });
      return { structureId: String(structure.id) };
    },
  },
  misesEnRelation: {
    subgraph: 'recruitment',
    async setup(orm) {
      const structure = await createStructure(orm);
      for (let i = 0; i < ROWS; i++) {
        const candidate = await createConseiller(orm);
        await createMiseEnRelation(orm, {
          structureId: structure.id,
          conseillerId: candidate.id,
          status: i < 2 ? 'INTERESSEE' : 'NOUVELLE',
        });
      }
      return { filter: { structureId: String(structure.id) } };
    },
    sortedBy: { ID: 'id', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' },
    filters: [
      [{ status: ['INTERESSEE'] }, 2],
      [{ sector: ['PUBLIC'] }, 5],
      [{ sector: ['PRIVATE'] }, 0],
    ],
  },
  trainingSessions: {
    subgraph: 'training',
    async setup(orm) {
      const departementCode = uniqueTerritoryCode(3);
      const lot = await createLot(orm);
      for (let i = 0; i < ROWS; i++)
        await createSession(orm, { lotId: lot.id, departementCode, startDate: day(i), ...(i < 2 ? { status: 'CONFIRMED' as const } : {}) });
      return { filter: { departementCode } };
    },
    sortedBy: { START_DATE: 'startDate', ID: 'id' },
    filters: [
      [{ status: ['CONFIRMED'] }, 2],
      [{ status: ['PLANNED', 'CONFIRMED'] }, 5],
    ],
  },
  trainingFollowUp: {
    subgraph: 'training',
    async setup(orm) {
      const departementCode = uniqueTerritoryCode(3);
      for (let i = 0; i < ROWS; i++) await createLearner(orm, { conseillerId: uniqueId(), departementCode });
      return { filter: { departementCode }, asOf: '2024-06-01' };
    },
    filters: [
      [{ concern: ['TO_ENROL', 'CERTIFICATION_OVERDUE', 'MODULES_LATE'] }, -1],
      [{ certificationLevel: ['NONE', 'PIX', 'CCP1', 'REMN'] }, 5],
    ],
  },
};

const subgraphs = new Map<SubgraphName, TestSubgraph>();
beforeAll(async () => {
  for (const name of ['activity', 'conventions', 'recruitment', 'training'] as const) subgraphs.set(name, await openTestSubgraph(name));
});
afterAll(async () => {
  for (const subgraph of subgraphs.values()) await subgraph.close();
});

test('the table names every connection of the supergraph', () => {
  expect(Object.keys(CASES).sort()).toEqual(CONNECTIONS.map((f) => f.name).sort());
});

/** Unwraps non-null. */
const bare = (type: GraphQLInputType) => (isNonNullType(type) ? type.ofType : type);

describe.each(CONNECTIONS.map((field) => [field.name, field] as const))('%s', (name, field: GraphQLField<unknown, unknown>) => {
  const spec = CASES[name]!;
  const args = field.args.map((a) => a.name);
  const orderBy = field.args.find((a) => a.name === 'orderBy');
  const orderInput = orderBy && getNamedType(orderBy.type);
  const orderField = orderInput && isInputObjectType(orderInput) ? getNamedType(orderInput.getFields().field!.type) : null;
  const orderEnum = orderField && isEnumType(orderField) ? orderField.getValues().map((v) => v.name) : [];
  const sortedFields = Object.values(spec.sortedBy ?? {}).filter((f) => f !== 'id');
  const selection = `id ${sortedFields.join(' ')}`;
  const QUERY = `query (${field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')}) {
    list: ${name}(${args.map((a) => `${a}: $${a}`).join(', ')}) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${selection} } } nodes { ${selection} }
    } }`;
  let scope: Record<string, unknown>;
  const subgraph = () => subgraphs.get(spec.subgraph)!;
  type Page = {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: { cursor: string; node: Record<string, unknown> }[];
    nodes: Record<string, unknown>[];
  };
  const page = async (variables: Record<string, unknown>): Promise<Page> => {
    const response = await subgraph().execute<{ list: Page }>(QUERY, { ...scope, ...variables });
    if (response.errors?.length) throw new Error(`${name}: ${response.errors.map((e) => e.message).join('; ')}`);
    expect(response.data!.list.nodes).toEqual(response.data!.list.edges.map((e) => e.node));
    return response.data!.list;
  };
  const ids = (p: Page) => p.nodes.map((n) => n.id);
  const failure = async (variables: Record<string, unknown>) =>
    (await subgraph().execute(QUERY, { ...scope, ...variables })).errors?.[0]?.extensions;

  beforeAll(async () => {
    scope = await spec.setup(subgraph().orm);
  });

  test('takes its arguments in the one order, paging last', () => {
    expect(args.slice(-4)).toEqual(PAGING);
    const leading = args.slice(0, -4);
    if (leading.includes('filter') && leading.includes('orderBy')) expect(leading.indexOf('orderBy')).toBe(leading.indexOf('filter') + 1);
    expect(getNamedType(field.type).name).toMatch(/Connection$/);
  });

  test('the gateway prices a page by last as by first', () => {
    const cost = (paging: string) => {
      const document = parse(`{ ${name}(${paging}) { edges { node { __typename } } nodes { __typename } } }`);
      return measureOperation(schema, document, document.definitions[0] as OperationDefinitionNode).cost;
    };
    expect(cost('last: 7')).toBe(cost('first: 7'));
    expect(cost('last: 7, before: "c"')).toBeGreaterThan(cost('last: 1'));
  });

  test('every enum filter takes a list', () => {
    const filter = field.args.find((a) => a.name === 'filter');
    if (!filter) return;
    const input = getNamedType(filter.type);
    if (!isInputObjectType(input)) throw new Error('filter is not an input');
    for (const criterion of Object.values(input.getFields())) {
      if (isEnumType(getNamedType(criterion.type)))
        expect([criterion.name, isListType(bare(criterion.type))]).toEqual([criterion.name, true]);
    }
  });

  const orders: (Record<string, string> | null)[] = [
    null,
    ...orderEnum.flatMap((f) => [
      { field: f, direction: 'ASC' },
      { field: f, direction: 'DESC' },
    ]),
  ];
  test.each(orders.map((o) => [o ? `${o.field} ${o.direction}` : 'default order', o] as const))(
    'pages forwards then backwards through the same rows (%s)',
    async (_label, sort) => {
      const variables = sort ? { orderBy: sort } : {};
      const all = await page({ ...variables, first: 100 });
      expect(all.totalCount).toBe(ROWS);
      expect(all.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
      const forwards: unknown[] = [];
      let after: string | null = null;
      for (let i = 0; i < 3; i++) {
        const p = await page({ ...variables, first: 2, after });
        expect(p.pageInfo).toMatchObject({
          hasNextPage: i < 2,
          hasPreviousPage: i > 0,
          startCursor: p.edges[0]!.cursor,
          endCursor: p.edges.at(-1)!.cursor,
        });
        forwards.push(...ids(p));
        after = p.pageInfo.endCursor;
      }
      expect(forwards).toEqual(ids(all));
      const backwards: unknown[] = [];
      let before: string | null = null;
      for (let i = 0; i < 3; i++) {
        const p = await page({ ...variables, last: 2, before });
        expect(p.pageInfo).toMatchObject({ hasNextPage: i > 0, hasPreviousPage: i < 2 });
        backwards.unshift(...ids(p));
        before = p.pageInfo.startCursor;
      }
      expect(backwards).toEqual(ids(all));
      // Backwards from the middle: the rows just before the cursor, in the list's order.
      const middle = await page({ ...variables, last: 2, before: all.edges[3]!.cursor });
      expect(ids(middle)).toEqual(ids(all).slice(1, 3));
      expect(middle.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });

      if (sort) {
        const key = spec.sortedBy?.[sort.field!];
        if (!key) throw new Error(`${name}: name the node field of ${sort.field} in sortedBy`);
        const values = all.nodes.map((n) => (key === 'id' ? Number(n.id) : n[key]));
        const ascending = [...values].sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0));
        expect(values).toEqual(sort.direction === 'ASC' ? ascending : ascending.reverse());
        expect(new Set(values).size).toBeGreaterThan(1);
      }
    },
  );

  test('refuses first with last, last out of 1–100 and a cursor of another sort order as BAD_USER_INPUT', async () => {
    expect(await failure({ first: 2, last: 2 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
    expect(await failure({ last: 101 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
    expect(await failure({ last: 0 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
    const cursor = (await page({ first: 1 })).pageInfo.endCursor;
    for (const other of orderEnum.flatMap((f) => [
      { field: f, direction: 'ASC' },
      { field: f, direction: 'DESC' },
    ])) {
      const fromDefault = await page({ orderBy: other, first: 1 });
      if (fromDefault.pageInfo.endCursor === cursor) continue; // the default order itself
      expect([other, await failure({ orderBy: other, after: cursor })]).toEqual([
        other,
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }),
      ]);
      expect([other, await failure({ orderBy: other, before: cursor })]).toEqual([
        other,
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'before' }),
      ]);
    }
  });

  if (spec.filters)
    test.each(spec.filters.map(([criteria, count]) => [JSON.stringify(criteria), criteria, count] as const))(
      'filters with %s',
      async (_label, criteria, count) => {
        const filter = { ...(scope.filter as object), ...criteria };
        const p = await page({ filter, first: 100 });
        if (count >= 0) expect(p.totalCount).toBe(count);
        expect(p.nodes).toHaveLength(p.totalCount);
      },
    );

  test('a page costs the same statements forwards and backwards, whatever its size', async () => {
    const all = await page({ first: 100 });
    const statements = async (variables: Record<string, unknown>) => (await countStatements(subgraph().orm, () => page(variables))).total;
    const forwards = await statements({ first: 1 });
    expect(await statements({ first: 5 })).toBe(forwards);
    expect(await statements({ first: 2, after: all.edges[1]!.cursor })).toBe(forwards);
    expect(await statements({ last: 1 })).toBe(forwards);
    expect(await statements({ last: 5 })).toBe(forwards);
    expect(await statements({ last: 2, before: all.edges[3]!.cursor })).toBe(forwards);
  });
});
