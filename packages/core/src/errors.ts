import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';

/** Every error a client sees carries one of these codes (DESIGN.md "Errors"). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'SUBGRAPH_UNAVAILABLE'
  | 'PARTNER_NODE_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

/** One offending input field: a dotted path into the arguments and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

export function badUserInput(message: string, fields: FieldProblem[]): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', fields } });
}

/** Shorthand for the common case of one bad field. */
export function badField(field: string, message: string): GraphQLError {
  return badUserInput(`${field}: ${message}`, [{ field, message }]);
}

export function notFound(typeName: string, id: string, field = 'id'): GraphQLError {
  return new GraphQLError(`${typeName} ${id} not found`, {
    extensions: { code: 'NOT_FOUND', fields: [{ field, message: `no ${typeName} with this id` }] },
  });
}

export function conflict(message: string, fields: FieldProblem[] = []): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'CONFLICT', fields } });
}

/**
 * PostgreSQL data exceptions caused by what a client sent (a NUL byte in text, a malformed value
 * of a typed column, a date out of range): the client's mistake, not an outage.
 */
const DATA_EXCEPTIONS = new Set(['22021', '22P02', '22007', '22008', '22003', '22001']);

const KNOWN_CODES = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'SUBGRAPH_UNAVAILABLE',
  'PARTNER_NODE_UNAVAILABLE',
  'RATE_LIMITED',
  // between a subgraph and the gateway only (held-elsewhere.ts): the gateway answers it
  'HELD_ELSEWHERE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

interface ValidationErrorLike {
  property: string;
  target?: object;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

function flattenValidation(errors: ValidationErrorLike[], prefix: string): FieldProblem[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field: path, message }));
    return [...own, ...flattenValidation(e.children ?? [], path)];
  });
}

/**
 * The argument a validated object came in: by the project's convention `XxxInput` classes are
 * passed as `input`, `XxxFilter` classes as `filter`, and `@ArgsType` classes spread their fields
 * as top-level arguments.
 */
function argumentNameOf(target: object | undefined): string {
  const name = target?.constructor?.name ?? '';
  if (name.endsWith('Input')) return 'input';
  if (name.endsWith('Filter')) return 'filter';
  return '';
}

/**
 * Turns any error thrown while executing an operation into what the client may see:
 * known codes pass through, class-validator failures become BAD_USER_INPUT with the fields,
 * PostgreSQL constraint violations become CONFLICT or BAD_USER_INPUT, everything else is masked.
 */
export function toClientError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof ArgumentValidationError) {
    const errors = original.extensions.validationErrors as ValidationErrorLike[];
    const fields = flattenValidation(errors, argumentNameOf(errors[0]?.target));
    return {
      message: `Invalid input: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'BAD_USER_INPUT', fields },
    };
  }
  const pgCode = (original as { code?: unknown } | null)?.code;
  if (typeof pgCode === 'string' && (/^23/.test(pgCode) || DATA_EXCEPTIONS.has(pgCode))) {
    const constraint = (original as { constraint?: string }).constraint;
    // a primary key is the record's id; other constraint names are the closest thing to a field
    const field = !constraint ? 'input' : constraint.endsWith('_pkey') ? 'input.id' : constraint;
    const code = pgCode === '23505' ? 'CONFLICT' : 'BAD_USER_INPUT';
    const message =
      code === 'CONFLICT' ? 'A record with these values already exists' : DATA_EXCEPTIONS.has(pgCode) ? 'The input holds a value the database cannot store' : 'The input breaks a data rule';
    return {
      message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code, fields: [{ field, message: code === 'CONFLICT' ? 'is already taken' : 'violates a data rule' }] },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && KNOWN_CODES.has(code)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
