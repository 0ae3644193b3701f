import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver, LocalDateResolver, SafeIntResolver } from 'graphql-scalars';

/** `Date`: a calendar day as `YYYY-MM-DD`, read as a string; a JS Date is written as its UTC day. */
const DateScalar = new GraphQLScalarType({
  ...LocalDateResolver.toConfig(),
  name: 'Date',
  serialize: (value) => LocalDateResolver.serialize(value instanceof Date ? value.toISOString().slice(0, 10) : value),
});

/** Resolvers of the scalars declared in schema/common/scalars.graphql. */
export const scalarResolvers = {
  DateTime: DateTimeResolver,
  Date: DateScalar,
  SafeInt: SafeIntResolver,
};
