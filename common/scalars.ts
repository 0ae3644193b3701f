import { GraphQLError, GraphQLScalarType, type GraphQLScalarLiteralParser, type GraphQLScalarValueParser } from 'graphql';
import { DateTimeResolver, LocalDateResolver, SafeIntResolver } from 'graphql-scalars';

/**
 * The rules of the custom scalars, the one definition both sides use: each subgraph parses its arguments with
 * them, and the gateway checks every argument of an operation against them before planning it (gateway/input-validation.ts),
 * so a wrong value is the client's BAD_USER_INPUT at the gateway rather than a subgraph's HTTP 400.
 */

/**
 * PostgreSQL has no year 0 and ISO 8601 text no year past 9999, and the services' date arithmetic (a range's next
 * day, a contract's end months on, 30 days back) must stay within both: days near either end failed statements.
 */
const YEARS = { first: 1000, last: 2999 };

/**
 * The parsers of `base` with one message for every refusal (which names our scalar, not the library's), and the
 * year range on top; `year` reads the year of a parsed value.
 */
function refined<T>(
  base: GraphQLScalarType<T>,
  rule: string,
  year: (parsed: T) => number,
): Pick<GraphQLScalarType<T>, 'parseValue' | 'parseLiteral'> {
  const check = (parse: () => T): T => {
    let parsed: T;
    try {
      parsed = parse();
    } catch {
      throw new GraphQLError(rule);
    }
    const y = year(parsed);
    if (!(y >= YEARS.first && y <= YEARS.last)) throw new GraphQLError(rule);
    return parsed;
  };
  const parseValue: GraphQLScalarValueParser<T> = (value) => check(() => base.parseValue(value));
  const parseLiteral: GraphQLScalarLiteralParser<T> = (node, variables) => check(() => base.parseLiteral(node, variables));
  return { parseValue, parseLiteral };
}

/** `Date`: a calendar day as `YYYY-MM-DD`, read as a string; a JS Date is written as its UTC day. */
const DateScalar = new GraphQLScalarType<string>({
  ...LocalDateResolver.toConfig(),
  ...refined(
    LocalDateResolver as GraphQLScalarType<string>,
    'A Date is a calendar day written YYYY-MM-DD, from 1000-01-01 to 2999-12-31 (e.g. 2024-03-01).',
    (day) => Number(day.slice(0, 4)),
  ),
  name: 'Date',
  serialize: (value) => LocalDateResolver.serialize(value instanceof Date ? value.toISOString().slice(0, 10) : value),
});

/** The `Date` rule, for code that gets a day as text (inputs a service is called with outside GraphQL, say). */
export function isCalendarDay(value: unknown): value is string {
  try {
    DateScalar.parseValue(value);
    return true;
  } catch {
    return false;
  }
}

/** `DateTime`: an RFC 3339 instant with its offset, read as a JS Date. */
const DateTimeScalar = new GraphQLScalarType<Date>({
  ...DateTimeResolver.toConfig(),
  ...refined(
    DateTimeResolver as GraphQLScalarType<Date>,
    'A DateTime is an RFC 3339 instant with its offset, in the years 1000 to 2999 (e.g. 2024-03-01T09:30:00Z).',
    (instant) => instant.getUTCFullYear(),
  ),
});

/** Resolvers of the scalars declared in schema/common/scalars.graphql. */
export const scalarResolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  SafeInt: SafeIntResolver,
};
