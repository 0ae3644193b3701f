import { GraphQLError, parse } from 'graphql';
import { describe, expect, test } from '@jest/globals';
import { NotFoundError as OrmNotFoundError } from '@mikro-orm/core';
import { loadEnv } from '../../common/env.js';
import { BadUserInputError, formatError, InvalidStatusTransitionError } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import { luhnValid, withLuhnDigit } from '../../common/luhn.js';
import { decodeCursor, encodeCursor, pageRequest, pageSize, toConnection, type CursorPart } from '../../common/pagination.js';
import { scalarResolvers } from '../../common/scalars.js';
import { findNulCharacter } from '../../common/nul-guard.js';

describe('page size', () => {
  test('defaults to 20 and accepts 1–100', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(null)).toBe(20);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(100)).toBe(100);
  });
  test.each([0, -1, 101, 1.5])('refuses %p with BAD_USER_INPUT naming the argument', (value) => {
    expect(() => pageSize(value, 'first')).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'first' } }));
  });
});

describe('cursors', () => {
  const forge = (text: string) => Buffer.from(text).toString('base64url');

  test('round-trip every part kind and are opaque', () => {
    const at = new Date('2024-03-01T10:20:30.456Z');
    const cursor = encodeCursor('name:ASC', ['2024-02-29', at, 'Dupré', 12.5, 42]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('42');
    expect(decodeCursor(cursor, 'name:ASC', ['date', 'datetime', 'string', 'number', 'id'])).toEqual(['2024-02-29', at, 'Dupré', 12.5, 42]);
  });

  test.each([
    ['not base64url', '%%%', ['id']],
    ['empty', '', ['id']],
    ['not JSON', forge('nope'), ['id']],
    ['a bare number (the old format)', forge('c:42'), ['id']],
    ['a key without its sort (the previous format)', forge('[42]'), ['id']],
    ['a cursor of another sort order', encodeCursor('name:ASC', [42]), ['id']],
    ['a cursor of the other direction', encodeCursor('id:DESC', [42]), ['id']],
    ['too few parts', encodeCursor('id:ASC', [42]), ['date', 'id']],
    ['too many parts', encodeCursor('id:ASC', ['2024-01-01', 1, 2]), ['date', 'id']],
    ['a non-positive id', encodeCursor('id:ASC', [0]), ['id']],
    ['a fractional id', encodeCursor('id:ASC', [1.5]), ['id']],
    ['an unsafe id', encodeCursor('id:ASC', [2 ** 60]), ['id']],
    ['an id as text', encodeCursor('id:ASC', ['7']), ['id']],
    ['a day that does not exist', encodeCursor('id:ASC', ['2024-02-30', 1]), ['date', 'id']],
    ['day zero', encodeCursor('id:ASC', ['0000-00-00', 1]), ['date', 'id']],
    ['a five-digit year', encodeCursor('id:ASC', ['99999-01-01', 1]), ['date', 'id']],
    ['an instant that is not ISO', encodeCursor('id:ASC', ['yesterday', 1]), ['datetime', 'id']],
    ['an instant out of range', encodeCursor('id:ASC', ['2024-13-45T99:00:00Z', 1]), ['datetime', 'id']],
    ['a number as text', encodeCursor('id:ASC', ['1', 1]), ['number', 'id']],
    ['a NUL in text', encodeCursor('id:ASC', ['a\u0000b', 1]), ['string', 'id']],
    ['text where an object is', forge('["id:ASC",{"$gt":1}]'), ['id']],
    ['an over-long cursor', 'A'.repeat(5000), ['id']],
  ] as const)('refuses %s as BAD_USER_INPUT naming the argument', (_name, cursor, parts) => {
    expect(() => decodeCursor(cursor, 'id:ASC', parts as readonly CursorPart[], 'after')).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } }),
    );
  });
});

describe('page requests', () => {
  test('first/after pages forwards, last/before backwards, 20 rows by default', () => {
    expect(pageRequest({})).toEqual({ size: 20, backward: false, cursor: null, cursorField: 'after' });
    expect(pageRequest({ first: 5, after: 'a' })).toEqual({ size: 5, backward: false, cursor: 'a', cursorField: 'after' });
    expect(pageRequest({ last: 5, before: 'b' })).toEqual({ size: 5, backward: true, cursor: 'b', cursorField: 'before' });
    expect(pageRequest({ before: 'b' })).toEqual({ size: 20, backward: true, cursor: 'b', cursorField: 'before' });
  });

  test.each([
    ['first and last', { first: 2, last: 2 }, 'last'],
    ['last and after', { last: 2, after: 'a' }, 'after'],
    ['first and before', { first: 2, before: 'b' }, 'first'],
    ['last 0', { last: 0 }, 'last'],
    ['last 101', { last: 101 }, 'last'],
    ['first 101', { first: 101 }, 'first'],
  ] as const)('refuses %s as BAD_USER_INPUT', (_name, args, field) => {
    expect(() => pageRequest(args)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field } }));
  });

  const rows = [1, 2, 3, 4, 5].map((id) => ({ id }));
  const key = (r: { id: number }) => [r.id];

  test('forwards: the first rows, and whether more follow', () => {
    const connection = toConnection(rows.slice(0, 3), pageRequest({ first: 2 }), 'id:ASC', 5, key);
    expect(connection.nodes.map((n) => n.id)).toEqual([1, 2]);
    expect(connection.edges.map((e) => e.node)).toEqual(connection.nodes);
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor('id:ASC', [1]),
      endCursor: encodeCursor('id:ASC', [2]),
    });
    expect(decodeCursor(connection.pageInfo.endCursor!, 'id:ASC', ['id'])).toEqual([2]);
    expect(toConnection([], pageRequest({ first: 2, after: 'x' }), 'id:ASC', 0, key).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
  });

  test('backwards: rows read in reverse come back in the list order', () => {
    // last: 2 before 5 reads 4, 3, 2 (the third tells that more precede).
    const connection = toConnection(
      [rows[3]!, rows[2]!, rows[1]!],
      pageRequest({ last: 2, before: encodeCursor('id:ASC', [5]) }),
      'id:ASC',
      5,
      key,
    );
    expect(connection.nodes.map((n) => n.id)).toEqual([3, 4]);
    expect(connection.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: true,
      startCursor: encodeCursor('id:ASC', [3]),
      endCursor: encodeCursor('id:ASC', [4]),
    });
    const first = toConnection([rows[1]!, rows[0]!], pageRequest({ last: 2 }), 'id:ASC', 2, key);
    expect(first.nodes.map((n) => n.id)).toEqual([1, 2]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });
});

describe('date scalars', () => {
  test.each(['1000-01-01', '2024-02-29', '2999-12-31'])('Date reads %s', (day) => {
    expect(scalarResolvers.Date.parseValue(day)).toBe(day);
  });
  test.each(['0000-01-01', '0999-12-31', '3000-01-01', '9999-12-31'])('Date refuses %s, outside the years 1000–2999', (day) => {
    expect(() => scalarResolvers.Date.parseValue(day)).toThrow(/from 1000-01-01 to 2999-12-31/);
  });
  test.each(['2024-02-30', '99999-01-01', '0000-00-00'])('Date refuses %s', (day) => {
    expect(() => scalarResolvers.Date.parseValue(day)).toThrow();
  });
  test.each(['0000-06-01T00:00:00Z', '1000-01-01T00:30:00+01:00', '9999-12-31T23:59:59Z'])(
    'DateTime refuses %s, outside the years 1000–2999',
    (instant) => {
      expect(() => scalarResolvers.DateTime.parseValue(instant)).toThrow(/years 1000 to 2999/);
    },
  );
  test('DateTime reads an instant with its offset', () => {
    expect(scalarResolvers.DateTime.parseValue('2024-03-01T09:30:00+01:00')).toEqual(new Date('2024-03-01T08:30:00Z'));
  });
});

describe('NUL characters', () => {
  test.each([
    ['an argument', '{ a(name: "x\\u0000") }', {}, 'name'],
    ['an input field in a list', '{ a(filter: { names: ["ok", "x\\u0000"] }) }', {}, 'filter.names[1]'],
    ['a directive argument', '{ a @include(if: true) @x(reason: "\\u0000") }', {}, 'reason'],
    ['a variable default', 'query ($v: String = "\\u0000") { a(name: $v) }', {}, '$v'],
    ['a variable', 'query ($v: I) { a(input: $v) }', { v: { items: [{ label: 'a\u0000' }] } }, '$v.items[0].label'],
  ])('are found in %s, named by where they sit', (_name, query, variables, where) => {
    expect(findNulCharacter(parse(query), variables)).toBe(where);
  });
  test('text without one passes', () => {
    expect(
      findNulCharacter(parse('query ($v: String) { a(name: "\\u0001 é", list: [1, "x"]) }'), { v: 'fine', n: 3, o: null }),
    ).toBeUndefined();
  });
});

describe('ids', () => {
  test('accepts positive integers as strings or numbers', () => {
    expect(parseId('17')).toBe(17);
    expect(parseId(17)).toBe(17);
  });
  test.each(['0', '-3', 'abc', '1e3', '9999999999999999', ''])('refuses %p', (value) => {
    expect(() => parseId(value, 'structureId')).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'structureId' } }),
    );
  });
});

describe('Luhn checksum of SIREN/SIRET', () => {
  test('known valid numbers', () => {
    expect(luhnValid('732829320')).toBe(true); // a real SIREN
    expect(luhnValid('73282932000074')).toBe(true); // a real SIRET
  });
  test('one changed digit breaks it', () => {
    expect(luhnValid('73282932000075')).toBe(false);
    expect(luhnValid('7328293200007a')).toBe(false);
  });
  test('withLuhnDigit completes a number', () => {
    const siret = withLuhnDigit('7328293200007');
    expect(siret).toBe('73282932000074');
  });
});

describe('formatError', () => {
  const asFormatted = (error: GraphQLError) => error.toJSON();
  test('our errors go out with their code and details, never a stack trace', () => {
    const error = new InvalidStatusTransitionError('MiseEnRelation', 'nouvelle', 'finalisee');
    const formatted = formatError({ ...asFormatted(error), extensions: { ...error.extensions, stacktrace: ['at x'] } }, error);
    expect(formatted.extensions).toEqual({
      code: 'INVALID_STATUS_TRANSITION',
      entity: 'MiseEnRelation',
      from: 'nouvelle',
      to: 'finalisee',
    });
  });
  test('unknown errors are masked', () => {
    const original = new Error('relation "recruitment.structure" does not exist at 10.0.0.3:5432');
    const wrapped = new GraphQLError(original.message, {
      path: ['structure'],
      originalError: original,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const formatted = formatError(asFormatted(wrapped), wrapped);
    expect(formatted).toEqual({ message: 'Internal server error.', path: ['structure'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
  test("the ORM's not-found becomes NOT_FOUND", () => {
    const wrapped = new GraphQLError('x', { path: ['structure'], originalError: new OrmNotFoundError('Structure not found (1)') });
    expect(formatError(asFormatted(wrapped), wrapped).extensions).toEqual({ code: 'NOT_FOUND' });
  });
  test('bad input keeps its field', () => {
    const error = new BadUserInputError('SIRET must have 14 digits.', 'siret');
    expect(formatError(asFormatted(error), error).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'siret' });
  });
});

describe('environment', () => {
  test('defaults', () => {
    const env = loadEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.subgraphUrl('activity')).toBe('http://127.0.0.1:4004/graphql');
    expect(env.SEED_DEMO).toBe(true);
  });
  test('every problem is reported at once', () => {
    const message = (() => {
      try {
        loadEnv({ GATEWAY_PORT: 'x', DATABASE_URL: 'mysql://h/db', SEED_DEMO: 'yes' });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    for (const name of ['GATEWAY_PORT', 'DATABASE_URL', 'SEED_DEMO']) expect(message).toContain(name);
  });
});
