import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import {
  NotFoundError as OrmNotFoundError,
  DriverException,
  UniqueConstraintViolationException,
  ForeignKeyConstraintViolationException,
} from '@mikro-orm/core';
import { createLogger } from './logger.js';

/**
 * The stable `extensions.code` values clients may rely on. Apollo's own codes (GRAPHQL_PARSE_FAILED,
 * GRAPHQL_VALIDATION_FAILED, PERSISTED_QUERY_NOT_FOUND…) pass through unchanged; the limit codes and
 * PERSISTED_QUERY_HASH_MISMATCH reuse Apollo Router's names.
 */
export const ErrorCode = {
  /** The HTTP request itself is unusable: body not a JSON object, undecodable gzip, no operation to run… (400). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The request body is over the size limit (413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** A content encoding or charset the server does not read (415). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** An automatic persisted query whose `sha256Hash` is not the hash of the query sent with it (400). */
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  INVALID_STATUS_TRANSITION: 'INVALID_STATUS_TRANSITION',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  CONFLICT: 'CONFLICT',
  /** An `Idempotency-Key` sent again with another operation or other variables. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  RATE_LIMITED: 'RATE_LIMITED',
  MAX_NESTING_LIMIT: 'MAX_NESTING_LIMIT',
  MAX_DEPTH_LIMIT: 'MAX_DEPTH_LIMIT',
  MAX_ALIASES_LIMIT: 'MAX_ALIASES_LIMIT',
  MAX_ROOT_FIELDS_LIMIT: 'MAX_ROOT_FIELDS_LIMIT',
  MAX_DIRECTIVES_LIMIT: 'MAX_DIRECTIVES_LIMIT',
  MAX_SELECTIONS_LIMIT: 'MAX_SELECTIONS_LIMIT',
  /** More `__schema` or `__type` in one operation than the gateway answers (400). */
  MAX_INTROSPECTION_LIMIT: 'MAX_INTROSPECTION_LIMIT',
  COST_ESTIMATED_TOO_EXPENSIVE: 'COST_ESTIMATED_TOO_EXPENSIVE',
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** An API key could not be checked: the key store is unreachable (503); retry, the key itself was not judged. */
  AUTHENTICATION_UNAVAILABLE: 'AUTHENTICATION_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The codes that blame the request, not the server: a gateway passes them through from a subgraph as they are.
 * Apollo's own request codes are among them; SUBGRAPH_UNAVAILABLE and INTERNAL_SERVER_ERROR are not.
 */
export const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set<string>(
  [...Object.values(ErrorCode), ...Object.values(ApolloServerErrorCode)].filter(
    (code) =>
      code !== ErrorCode.SUBGRAPH_UNAVAILABLE && code !== ErrorCode.AUTHENTICATION_UNAVAILABLE && code !== ErrorCode.INTERNAL_SERVER_ERROR,
  ),
);

/** Base class of every error we raise on purpose: its message is meant for the client. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

/** The input is wrong; `field` names the offending argument or input field. */
export class BadUserInputError extends AppError {
  constructor(message: string, field?: string, extensions: Record<string, unknown> = {}) {
    super(ErrorCode.BAD_USER_INPUT, message, field ? { field, ...extensions } : extensions);
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string, id: string | number) {
    super(ErrorCode.NOT_FOUND, `${entity} ${id} does not exist.`, { entity, id: String(id) });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this.', extensions: Record<string, unknown> = {}) {
    super(ErrorCode.FORBIDDEN, message, extensions);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required.') {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}

/** The request is valid but the current state forbids it (already decided, already pending, duplicate…). */
export class ConflictError extends AppError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(ErrorCode.CONFLICT, message, extensions);
  }
}

/** One more would break a capacity rule (contracts holding a post ≤ quota, learners ≤ seats). */
export class QuotaExceededError extends AppError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(ErrorCode.QUOTA_EXCEEDED, message, extensions);
  }
}

/** A workflow step that the state machine does not allow from the current status. */
export class InvalidStatusTransitionError extends AppError {
  constructor(entity: string, from: string, to: string) {
    super(ErrorCode.INVALID_STATUS_TRANSITION, `${entity} cannot go from ${from} to ${to}.`, { entity, from, to });
  }
}

const log = createLogger('errors');

/**
 * Apollo `formatError`: our own errors and GraphQL request errors go out as they are; ORM errors are mapped
 * to their codes; anything else is logged and masked, so no SQL, stack or internal address reaches a client.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  if (original instanceof AppError) return { ...formatted, extensions };
  if (original instanceof OrmNotFoundError) {
    return { message: 'Not found.', path: formatted.path, extensions: { code: ErrorCode.NOT_FOUND } };
  }
  if (original instanceof UniqueConstraintViolationException) {
    return { message: 'This record already exists.', path: formatted.path, extensions: { code: ErrorCode.CONFLICT } };
  }
  if (original instanceof ForeignKeyConstraintViolationException) {
    return { message: 'A referenced record does not exist.', path: formatted.path, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  // Errors raised by graphql-js or Apollo while parsing, validating or coercing the request.
  const code = extensions.code;
  if (!(original instanceof DriverException) && typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    return { ...formatted, extensions };
  }
  log.error('unexpected error', { message: original instanceof Error ? original.message : String(original), path: formatted.path });
  return { message: 'Internal server error.', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
