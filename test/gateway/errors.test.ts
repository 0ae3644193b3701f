import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { createErrorFormatter, valueCompletionPlugin } from '../../gateway/errors.js';
import { CLIENT_ERROR_CODES } from '../../common/errors.js';
import { BAD_REQUESTS, expectJsonRefusal } from '../support/bad-requests.js';
import { createCra } from '../support/factories/activity.js';
import { createConseiller, createStructure } from '../support/factories/recruitment.js';
import { uniqueId } from '../support/ids.js';
import { failsWith } from '../support/graphql.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/** What the gateway tells a client about the client's own mistakes: the truth, with a stable code, never HTML. */
let system: TestSystem;
let admin: Record<string, string>;
beforeAll(async () => {
  system = await startTestSystem();
  admin = await system.bearer({ sub: 'errors', role: 'admin' });
});
afterAll(async () => {
  await system?.stop();
});

describe('requests the HTTP layer cannot read get a GraphQL JSON error', () => {
  test.each(BAD_REQUESTS)('$name: $status $code', async (request) => {
    await expectJsonRefusal(system.gatewayUrl, request);
  });
});

describe('custom scalars are checked at the gateway, with the rules the subgraphs apply', () => {
  const STATISTICS = (from: string) => `{ craStatistics(filter: { from: "${from}", to: "2024-03-31" }) { __typename } }`;

  test.each(['2024-02-30', '0000-00-00', '99999-01-01', '0000-01-01', '2024-3-1', ''])(
    'the literal Date "%s" is BAD_USER_INPUT naming the argument',
    async (from) => {
      const response = await system.query(STATISTICS(from), undefined, admin);
      expect(response.status).toBe(400);
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.from' });
      expect(response.errors?.[0]?.message).toMatch(/"filter\.from" of craStatistics.*YYYY-MM-DD/);
    },
  );

  test.each([
    [
      'a Date variable',
      'query ($from: Date!) { craStatistics(filter: { from: $from, to: "2024-03-31" }) { __typename } }',
      { from: '2024-02-30' },
      'filter.from',
      '$from',
    ],
    [
      'an input-object variable',
      'query ($f: CraStatisticsFilter!) { craStatistics(filter: $f) { __typename } }',
      { f: { from: '2024-03-01', to: '99999-01-01' } },
      'filter.to',
      '$f',
    ],
    [
      'a default value',
      'query ($from: Date = "2024-02-30") { craStatistics(filter: { from: $from, to: "2024-03-31" }) { __typename } }',
      {},
      'filter.from',
      '$from',
    ],
    [
      'a DateTime variable',
      'mutation ($at: DateTime) { moveDsFile(input: { conventionId: "1", state: en_instruction, at: $at }) { convention { id } } }',
      { at: '0000-01-01T00:00:00Z' },
      'input.at',
      '$at',
    ],
  ])('%s breaking the rule is BAD_USER_INPUT naming the argument and the variable', async (_name, query, variables, field, variable) => {
    const response = await system.query(query, variables, admin);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(response.errors?.[0]?.message).toContain(`(variable ${variable})`);
  });

  test('a valid day still reaches the subgraph, and the scalars are the ones the subgraphs use', async () => {
    const response = await system.query(STATISTICS('2024-02-29'), undefined, admin);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ craStatistics: { __typename: 'CraStatistics' } });
  });
});

describe("a request with no operation to run is the client's error", () => {
  const post = (body: Record<string, unknown>) =>
    fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify(body),
    }).then(async (res) => ({
      status: res.status,
      ...((await res.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] }),
    }));

  test('several operations and no operationName: 400 BAD_REQUEST', async () => {
    const response = await post({ query: 'query A { __typename } query B { __typename }' });
    expect(response.status).toBe(400);
    expect((await failsWith('BAD_REQUEST', response)).message).toMatch(/operationName/);
  });

  test('an unknown operationName: 400 BAD_REQUEST', async () => {
    const response = await post({ query: 'query A { __typename }', operationName: 'B' });
    expect(response.status).toBe(400);
    expect((await failsWith('BAD_REQUEST', response)).message).toContain('"B"');
  });

  test("an automatic persisted query whose hash is not its query's: 400 PERSISTED_QUERY_HASH_MISMATCH", async () => {
    const response = await post({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } });
    expect(response.status).toBe(400);
    await failsWith('PERSISTED_QUERY_HASH_MISMATCH', response);
  });
});

/** The log lines written while `run` runs (the logger is silent in tests unless LOG_LEVEL says otherwise). */
async function logged<T>(run: () => T | Promise<T>): Promise<{ result: T; lines: string }> {
  const saved = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'error';
  const lines: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    return { result: await run(), lines: lines.join('') };
  } finally {
    spy.mockRestore();
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;
  }
}

describe("what a subgraph says reaches the client, with the subgraph's name", () => {
  const format = createErrorFormatter({ activity: 'http://10.0.0.4:4004/graphql' });
  const formatted = (error: GraphQLError) => format(error.toJSON(), error);

  test.each([...CLIENT_ERROR_CODES])('%s raised by a subgraph passes through', (code) => {
    // As @apollo/gateway relays a subgraph's error: its extensions, plus the subgraph's name.
    const error = new GraphQLError('Structure 12 is out of your reach.', {
      path: ['cra', 'structure'],
      extensions: { code, entity: 'Structure', serviceName: 'recruitment' },
    });
    expect(formatted(error)).toEqual({
      message: 'Structure 12 is out of your reach.',
      path: ['cra', 'structure'],
      extensions: { code, entity: 'Structure', serviceName: 'recruitment' },
    });
  });

  test('a client error a subgraph answers with HTTP 400 passes through, named, without the address', () => {
    // What @apollo/gateway's RemoteGraphQLDataSource throws for a non-2xx answer.
    const error = new GraphQLError('400: Bad Request', {
      extensions: {
        response: {
          url: 'http://10.0.0.4:4004/graphql',
          status: 400,
          statusText: 'Bad Request',
          body: { errors: [{ message: 'Variable "$from" got invalid value "2024-02-30".', extensions: { code: 'BAD_USER_INPUT' } }] },
        },
      },
    });
    expect(formatted(error)).toEqual({
      message: 'Variable "$from" got invalid value "2024-02-30".',
      extensions: { code: 'BAD_USER_INPUT', serviceName: 'activity' },
    });
  });

  test("a subgraph refusing the gateway's signature (401) is the gateway's fault, not the client's credentials", () => {
    const error = new GraphQLError('401: Unauthorized', {
      extensions: {
        code: 'UNAUTHENTICATED',
        response: {
          url: 'http://10.0.0.4:4004/graphql',
          status: 401,
          body: { errors: [{ message: 'This service only answers the gateway.', extensions: { code: 'UNAUTHENTICATED' } }] },
        },
      },
    });
    expect(formatted(error)).toEqual({
      message: 'Internal server error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'activity' },
    });
  });

  test('a subgraph\'s internal fault is INTERNAL_SERVER_ERROR naming the subgraph, not "try again later"', async () => {
    const error = new GraphQLError('Internal server error.', {
      path: ['trainingPath'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'training' },
    });
    const { result, lines } = await logged(() => formatted(error));
    expect(result).toEqual({
      message: 'Internal server error.',
      path: ['trainingPath'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'training' },
    });
    expect(lines).toMatch(/subgraph error .*subgraph=training/);
  });

  test("DOWNSTREAM_SERVICE_ERROR keeps the subgraph's name; its message is masked", () => {
    const error = new GraphQLError('select * from secret', {
      extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'conventions' },
    });
    expect(formatted(error)).toEqual({
      message: 'Internal server error.',
      extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'conventions' },
    });
  });

  test('a fault of the gateway itself (a planner crash) is logged as the gateway\'s, with no "subgraph=undefined"', async () => {
    const error = new GraphQLError("Cannot read properties of undefined (reading 'selectionSet')", {
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const { result, lines } = await logged(() => formatted(error));
    expect(result).toEqual({ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines).toMatch(/gateway error .*selectionSet/);
    expect(lines).not.toMatch(/subgraph/);
  });

  test('a subgraph that cannot be reached is SUBGRAPH_UNAVAILABLE naming it, never its address', () => {
    const error = new GraphQLError('request to http://10.0.0.4:4004/graphql failed, reason: connect ECONNREFUSED', {
      extensions: { response: { url: 'http://10.0.0.4:4004/graphql', status: 503, body: 'upstream down' } },
    });
    const out = formatted(error);
    expect(out.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'activity' });
    expect(JSON.stringify(out)).not.toMatch(/10\.0\.0\.4|ECONNREFUSED/);
  });
});

describe('a subgraph failing inside, through the gateway', () => {
  test("is INTERNAL_SERVER_ERROR with serviceName, and the other subgraphs' data still arrives", async () => {
    // Every statement of training fails for the length of this test, as when its database is lost.
    const orm = system.orms.training;
    const fork = orm.em.fork.bind(orm.em);
    const spy = jest
      .spyOn(orm.em, 'fork')
      .mockImplementation((options) =>
        Object.assign(fork(options), { find: () => Promise.reject(new Error('Connection terminated unexpectedly')) }),
      );
    try {
      const { result: response, lines } = await logged(() =>
        system.query('{ trainingPath(id: "1") { id } structure(id: "2147000000") { id } }', undefined, admin),
      );
      expect(response.data).toEqual({ trainingPath: null, structure: null });
      expect(response.errors).toEqual([
        {
          message: 'Internal server error.',
          path: ['trainingPath'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'training' },
        },
      ]);
      expect(lines).toMatch(/\[gateway\] subgraph error .*subgraph=training/);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("an entity out of the caller's reach is an error at its path, never a silent null", () => {
  /** A day no statistics test counts: other suites compare totals over 2024 while this one runs. */
  const QUIET_DAY = '2021-05-17';
  /** A report filed in Marseille (13) by an advisor whose structure is in Paris (75): prefet-13 sees the report only. */
  let craId: string;
  let prefet: Record<string, string>;
  beforeAll(async () => {
    const structure = await createStructure(system.orms.recruitment, { departementCode: '75', regionCode: '11' });
    const advisor = await createConseiller(system.orms.recruitment, { structureId: structure.id, departementCode: '75', regionCode: '11' });
    craId = String((await createCra(system.orms.activity, { conseillerId: advisor.id, structureId: structure.id, date: QUIET_DAY })).id);
    prefet = await system.bearer({ sub: 'errors-prefet-13', role: 'prefet', departements: ['13'] });
  });

  test('the structure of a report: null with FORBIDDEN at cra.structure, and nothing hidden in extensions', async () => {
    const response = await system.query(`{ cra(id: "${craId}") { id structure { name } } }`, undefined, prefet);
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['cra', 'structure'],
        extensions: expect.objectContaining({ code: 'FORBIDDEN', serviceName: 'recruitment' }),
      }),
    ]);
    expect((response.data?.cra as { structure?: unknown } | null)?.structure ?? null).toBeNull();
    expect(response.extensions?.valueCompletion).toBeUndefined();
  });

  test('its id is the visible stub: known to activity, it needs no reach', async () => {
    const response = await system.query(`{ cra(id: "${craId}") { id structure { id } } }`, undefined, prefet);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ cra: { id: craId, structure: { id: expect.any(String) } } });
  });

  test('the explanation survives another error in the same response', async () => {
    const response = await system.query(
      `{ cra(id: "${craId}") { conseiller { lastName } } trainingPath(id: "abc") { id } }`,
      undefined,
      prefet,
    );
    expect(response.errors?.map((e) => [e.path, e.extensions?.code])).toEqual(
      expect.arrayContaining([
        [['cra', 'conseiller'], 'FORBIDDEN'],
        [['trainingPath'], 'BAD_USER_INPUT'],
      ]),
    );
  });

  test('for a caller who sees every row, a reference to nothing is NOT_FOUND', async () => {
    const advisor = await createConseiller(system.orms.recruitment, { structureId: (await createStructure(system.orms.recruitment)).id });
    const cra = await createCra(system.orms.activity, { conseillerId: advisor.id, structureId: uniqueId(), date: QUIET_DAY });
    const response = await system.query(`{ cra(id: "${cra.id}") { structure { name } } }`, undefined, admin);
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['cra', 'structure'],
        extensions: expect.objectContaining({ code: 'NOT_FOUND', entity: 'Structure' }),
      }),
    ]);
  });

  test('what the gateway leaves in extensions.valueCompletion moves to errors, with its path', async () => {
    const hooks = await valueCompletionPlugin().requestDidStart!({} as never);
    const singleResult = {
      data: { cra: null },
      extensions: {
        valueCompletion: [new GraphQLError('Invalid value found for field Cra.activityType.', { path: ['cra', 'activityType'] })],
        cost: 1,
      },
    };
    await logged(() => hooks!.willSendResponse!({ response: { body: { kind: 'single', singleResult } } } as never));
    expect(singleResult).toEqual({
      data: { cra: null },
      errors: [
        {
          message: 'Invalid value found for field Cra.activityType.',
          path: ['cra', 'activityType'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
      extensions: { cost: 1 },
    });
  });
});
