import { HttpException, HttpStatus } from '@nestjs/common';
import { DatabaseUnavailableError } from '@app/infra';
import { ShipmentNotFoundError, ZipMismatchError } from '@app/shipments';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { FieldErrorDto, ProblemDetailsDto } from './problem-details.dto';

/** Thrown by the validation pipe; carries one message per invalid field. */
export class RequestValidationError extends HttpException {
  constructor(readonly errors: FieldErrorDto[]) {
    super(errors.map((error) => error.message).join('; '), HttpStatus.BAD_REQUEST);
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** How long a 503 asks a client to wait (a database restart or a drain takes seconds). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Writes a problem as the response: its status, `application/problem+json`, and for a 503 a
 * `Retry-After`. Every problem the server answers goes out through here.
 */
export function sendProblem(
  reply: FastifyReply,
  problem: ProblemDetailsDto,
  headers: Record<string, string> = {},
): void {
  const retry = problem.status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {};
  void reply
    .status(problem.status)
    .headers({ ...retry, ...headers })
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem));
}

/**
 * Maps anything thrown while handling a request to problem details. Known domain errors get
 * their 4xx; HttpExceptions keep their status; everything else is a 500 with a generic detail.
 */
export function toProblem(error: unknown, instance?: string): ProblemDetailsDto {
  if (error instanceof ShipmentNotFoundError) {
    return newProblem(
      HttpStatus.NOT_FOUND,
      error.message,
      instance,
      'urn:problem:shipment-not-found',
    );
  }
  if (error instanceof ZipMismatchError) {
    return newProblem(
      HttpStatus.FORBIDDEN,
      `${error.message}; leave out zip to see the shipment without street lines`,
      instance,
      'urn:problem:zip-mismatch',
    );
  }
  if (error instanceof DatabaseUnavailableError) {
    // The message names the server: for the log, not for the client.
    return newProblem(
      HttpStatus.SERVICE_UNAVAILABLE,
      `The shipment database is not available right now; try again in ${RETRY_AFTER_SECONDS} seconds`,
      instance,
      'urn:problem:database-unavailable',
    );
  }
  if (error instanceof RequestValidationError) {
    return {
      ...newProblem(HttpStatus.BAD_REQUEST, error.message, instance, 'urn:problem:validation'),
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
    return newProblem(error.getStatus(), detail, instance);
  }
  // Errors from the HTTP layer itself (a malformed body or URL) carry a 4xx status.
  const raw = error as { status?: unknown; statusCode?: unknown } | null;
  const status = raw?.status ?? raw?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return newProblem(status, (error as Error).message, instance);
  }
  return newProblem(
    HttpStatus.INTERNAL_SERVER_ERROR,
    'An unexpected error occurred; it has been logged.',
    instance,
  );
}

/** A problem body; `title` is the status's standard phrase. */
export function newProblem(
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
    ...newProblem(
      status,
      `Not ready: ${down.join(', ') || 'a dependency'} not answering`,
      instance,
    ),
    checks: result.details,
  };
}
