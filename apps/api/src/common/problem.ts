import { HttpException, HttpStatus } from '@nestjs/common';
import { DatabaseUnavailableError, ShipmentNotFoundError, ZipMismatchError } from '@app/shipments';
import { STATUS_CODES } from 'node:http';
import { FieldErrorDto, ProblemDetailsDto } from './problem-details.dto';

/** Thrown by the validation pipe; carries one message per invalid field. */
export class RequestValidationError extends HttpException {
  constructor(readonly errors: FieldErrorDto[]) {
    super(errors.map((error) => error.message).join('; '), HttpStatus.BAD_REQUEST);
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** How long a client is asked to wait when the database is away (a restart takes seconds). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Headers that go with a problem: a 503 (the database or a dependency away) says when to retry. */
export function problemHeaders(problem: ProblemDetailsDto): Record<string, string> {
  return problem.status === 503 ? { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) } : {};
}

/**
 * Maps anything thrown while handling a request to problem details. Known domain errors get
 * their 4xx; HttpExceptions keep their status; everything else is a 500 with a generic detail.
 */
export function toProblem(error: unknown, instance?: string): ProblemDetailsDto {
  if (error instanceof ShipmentNotFoundError) {
    return problem(HttpStatus.NOT_FOUND, error.message, instance, 'urn:problem:shipment-not-found');
  }
  if (error instanceof ZipMismatchError) {
    return problem(
      HttpStatus.FORBIDDEN,
      `${error.message}; leave out zip to see the shipment without street lines`,
      instance,
      'urn:problem:zip-mismatch',
    );
  }
  if (error instanceof DatabaseUnavailableError) {
    // The message names the server: for the log, not for the client.
    return problem(
      HttpStatus.SERVICE_UNAVAILABLE,
      `The shipment database is not available right now; try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds`,
      instance,
      'urn:problem:database-unavailable',
    );
  }
  if (error instanceof RequestValidationError) {
    return {
      ...problem(HttpStatus.BAD_REQUEST, error.message, instance, 'urn:problem:validation'),
      errors: error.errors,
    };
  }
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const extensions =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const message = typeof body === 'string' ? body : extensions.message;
    if (extensions.details) return healthProblem(error.getStatus(), extensions, instance);
    const detail = Array.isArray(message)
      ? message.join('; ')
      : typeof message === 'string'
        ? message
        : error.message;
    return problem(error.getStatus(), detail, instance);
  }
  // Errors from the HTTP layer itself (a malformed body or URL) carry a 4xx status.
  const raw = error as { status?: unknown; statusCode?: unknown } | null;
  const status = raw?.status ?? raw?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return problem(status, (error as Error).message, instance);
  }
  return problem(
    HttpStatus.INTERNAL_SERVER_ERROR,
    'An unexpected error occurred; it has been logged.',
    instance,
  );
}

function problem(
  status: number,
  detail: string,
  instance?: string,
  type = 'about:blank',
): ProblemDetailsDto {
  return {
    type,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(instance ? { instance } : {}),
  };
}

/** Terminus reports failed checks in `error`/`details`; keep them as the `checks` extension. */
function healthProblem(
  status: number,
  result: Record<string, unknown>,
  instance?: string,
): ProblemDetailsDto & { checks: unknown } {
  const down = Object.keys((result.error as object | undefined) ?? {});
  return {
    ...problem(status, `Not ready: ${down.join(', ') || 'a dependency'} not answering`, instance),
    checks: result.details,
  };
}
