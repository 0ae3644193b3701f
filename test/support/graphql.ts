import { expect } from '@jest/globals';

/**
 * The one idiom of the tests for running an operation: `succeeds` when it must work (any GraphQL error fails the
 * test, with the messages), `failsWith` when it must be refused with one code. Both take the response (or its
 * promise) of any executor: an in-process subgraph, the gateway, a test system.
 */
export interface GraphQLResult {
  data?: unknown;
  errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

/**
 * A response's data as tests read it: loosely typed JSON, whose shape the assertions check (the schema is the
 * type; a typed client would give it statically).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Data = any;

/** The data of an operation that must succeed, through JSON as an HTTP client sees it. */
export async function succeeds<T = Data>(response: GraphQLResult | Promise<GraphQLResult>): Promise<T> {
  const { data, errors } = await response;
  if (errors?.length) throw new Error(`GraphQL errors: ${errors.map((e) => `${String(e.extensions?.code)}: ${e.message}`).join('; ')}`);
  return JSON.parse(JSON.stringify(data)) as T;
}

/**
 * An entity out of the viewer's reach asked through `_entities` is answered null with a FORBIDDEN error at its path
 * (common/references.ts): an expected answer, not a failure.
 */
function isOutOfReach(error: NonNullable<GraphQLResult['errors']>[number], data: unknown): boolean {
  const [field, index, ...rest] = error.path ?? [];
  const value = (data as Record<string, unknown[] | undefined> | null | undefined)?.[String(field)]?.[Number(index)];
  return error.extensions?.code === 'FORBIDDEN' && typeof index === 'number' && rest.length === 0 && value === null;
}

/** `succeeds` for reads that may reach entities out of the viewer's reach through `_entities` (`isOutOfReach`). */
export async function succeedsBesidesOutOfReach<T = Data>(response: GraphQLResult | Promise<GraphQLResult>): Promise<T> {
  const { data, errors } = await response;
  return succeeds<T>({ data, errors: errors?.filter((error) => !isOutOfReach(error, data)) });
}

/** The refusal of an operation that must fail with exactly one error of `code`: its message and extensions. */
export async function failsWith(
  code: string,
  response: GraphQLResult | Promise<GraphQLResult>,
): Promise<{ message: string; code: string; path?: readonly (string | number)[] } & Record<string, Data>> {
  const { errors } = await response;
  expect(errors?.map((e) => e.extensions?.code)).toEqual([code]);
  const [error] = errors!;
  return { ...error!.extensions, message: error!.message, code, path: error!.path };
}

/** The codes of a response's errors, in order (none when it succeeded): for responses with several errors or partial data. */
export function errorCodes(response: GraphQLResult): unknown[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}
