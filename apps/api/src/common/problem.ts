import { HttpException, HttpStatus } from '@nestjs/common';
import { DatabaseUnavailableError } from '@app/infra';
import { ShipmentNotFoundError, ZipAttemptsExceededError, ZipMismatchError } from '@app/shipments';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { FieldErrorDto, ProblemDetailsDto } from './problem-details.dto';
import { PROBLEMS, ProblemType } from './problem-types';

/** Thrown by the validation pipe; carries one message per invalid field. */
export class RequestValidationError extends HttpException {
  constructor(readonly errors: FieldErrorDto[]) {
    super(errors.map((error) => error.message).join('; '), HttpStatus.BAD_REQUEST);
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** How long a 503 asks a client to wait (a database restart or a drain takes seconds). */
export const RETRY_AFTER_SECONDS = 5;

/** Longest `instance` echoed back: a 10 KB path is not worth sending back whole. */
const MAX_INSTANCE_LENGTH = 200;

/**
 * Writes a problem as the response: its status, `application/problem+json`, the request's id in
 * the body (as in the X-Request-Id header), `no-store`, and for a 503 a `Retry-After`. Every
 * problem the server answers goes out through here.
 */
export function sendProblem(
  reply: FastifyReply,
  problem: ProblemDetailsDto,
  headers: Record<string, string> = {},
): void {
  const retry = problem.status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {};
  void reply
    .status(problem.status)
    .headers({ ...retry, 'cache-control': 'no-store', ...headers })
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...problem, requestId: reply.request.id }));
}

/** Seconds a refusal asks the client to wait (a 429's Retry-After), when it says. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof ZipAttemptsExceededError || error instanceof ProblemException
    ? error.retryAfterSeconds
    : undefined;
}

/**
 * An HTTP error with its problem type (PROBLEMS), and extension members when it has any (the
 * readiness checks). Controllers and guards throw it; toProblem turns it into the body.
 */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemType,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    /** Sent as Retry-After (a 429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail, problem.status);
  }
}

/**
 * Maps anything thrown while handling a request to problem details. Known domain errors get
 * their 4xx; HttpExceptions keep their status; everything else is a 500 with a generic detail.
 */
export function toProblem(error: unknown, instance?: string): ProblemDetailsDto {
  if (error instanceof ProblemException) {
    return { ...typed(error.problem, error.message, instance), ...error.extensions };
  }
  if (error instanceof ShipmentNotFoundError) {
    return typed(PROBLEMS.shipmentNotFound, error.message, instance);
  }
  if (error instanceof ZipMismatchError) {
    const detail = `${error.message}; leave out zip to see the shipment without street lines`;
    return typed(PROBLEMS.zipMismatch, detail, instance);
  }
  if (error instanceof ZipAttemptsExceededError) {
    return typed(PROBLEMS.zipAttempts, error.message, instance);
  }
  if (error instanceof DatabaseUnavailableError) {
    // The message names the server: for the log, not for the client.
    const detail = `The shipment database is not available right now; try again in ${RETRY_AFTER_SECONDS} seconds`;
    return typed(PROBLEMS.databaseUnavailable, detail, instance);
  }
  if (error instanceof RequestValidationError) {
    return { ...typed(PROBLEMS.validation, error.message, instance), errors: error.errors };
  }
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const message =
      typeof body === 'string' ? body : (body as { message?: unknown } | null)?.message;
    const detail = Array.isArray(message)
      ? message.join('; ')
      : typeof message === 'string'
        ? message
        : error.message;
    return newProblem(error.getStatus(), detail, instance);
  }
  // Errors from the HTTP layer itself (a malformed or too long URL) carry a 4xx status.
  const raw = error as { status?: unknown; statusCode?: unknown } | null;
  const status = raw?.status ?? raw?.statusCode;
  if (status === 414) {
    const detail = 'The request URL is too long: a path parameter is over 1000 characters';
    return typed(PROBLEMS.uriTooLong, detail, instance);
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return newProblem(status, (error as Error).message, instance);
  }
  return typed(PROBLEMS.internal, 'An unexpected error occurred; it has been logged.', instance);
}

/** A problem of one of our types (PROBLEMS), with this occurrence's detail. */
export function typed(problem: ProblemType, detail: string, instance?: string): ProblemDetailsDto {
  return newProblem(problem.status, detail, instance, problem.type);
}

/** A problem body; `title` is the status's standard phrase. */
export function newProblem(
  status: number,
  detail: string,
  instance?: string,
  type = 'about:blank',
): ProblemDetailsDto {
  const shown =
    instance && instance.length > MAX_INSTANCE_LENGTH
      ? `${instance.slice(0, MAX_INSTANCE_LENGTH)}...`
      : instance;
  return {
    type,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(shown ? { instance: shown } : {}),
  };
}
