import { ArgumentsHost, Catch, ExceptionFilter, Logger, NotFoundException } from '@nestjs/common';
import { RepeatedLog } from '@app/infra';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteMethods } from '../http/route-methods';
import {
  newProblem,
  RETRY_AFTER_SECONDS,
  retryAfterOf,
  sendProblem,
  toProblem,
  typed,
} from './problem';
import { PROBLEMS } from './problem-types';
import { ProblemDetailsDto } from './problem-details.dto';

/** The one place errors become HTTP responses: RFC 9457 problem details, never a stack trace. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);
  /** 503s are expected states (the database away, not ready): a warning a minute, no stack. */
  private readonly unavailable = new RepeatedLog(this.logger);

  constructor(
    private readonly routes?: RouteMethods,
    /** A part of the site that answers its own way (the tracking pages: HTML), for paths below it no route has. */
    private readonly area?: { prefix: string; filter: ProblemDetailsFilter },
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const path = request.url.split('?')[0];
    const headers: Record<string, string> = {};
    let problem = toProblem(exception, path);
    if (exception instanceof NotFoundException && request.routeOptions?.url === undefined) {
      // No route matched: a known path with another method (405), or no such path at all.
      const allowed = this.routes?.allowed(path) ?? [];
      problem = unrouted(request.method, path, allowed);
      if (allowed.length > 0) headers.allow = allowed.join(', ');
    }
    // What the refusal asked for (a 429), else the general wait of a 503: every sender says it.
    const retryAfter =
      retryAfterOf(exception) ?? (problem.status === 503 ? RETRY_AFTER_SECONDS : undefined);
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    if (problem.status === 503) {
      this.unavailable.warn(
        request.routeOptions?.url ?? 'unknown',
        `${request.method} ${request.routeOptions?.url ?? path} answered 503: ${problem.detail} (request ${request.id})`,
      );
    } else if (problem.status >= 500) {
      this.logger.error(
        `${request.method} ${path} failed (request ${request.id})`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    if (reply.sent) return;
    const area = this.area;
    const inArea = area && (path === area.prefix || path.startsWith(`${area.prefix}/`));
    (inArea ? area.filter : this).send(reply, problem, headers, { request, exception });
  }

  /** Answers the problem: as problem details here; the tracking pages answer a page instead. */
  protected send(
    reply: FastifyReply,
    problem: ProblemDetailsDto,
    headers: Record<string, string>,
    _cause: { request: FastifyRequest; exception: unknown },
  ): void {
    sendProblem(reply, problem, headers);
  }
}

/** 405 naming the methods the path has, or a 404 that doesn't echo the (maybe huge) path. */
function unrouted(method: string, path: string, allowed: string[]): ProblemDetailsDto {
  if (allowed.length === 0) {
    return newProblem(404, 'No endpoint has this path; the API is described at /api/docs', path);
  }
  const detail = `${method} is not allowed here; this path answers ${allowed.join(', ')}`;
  return typed(PROBLEMS.methodNotAllowed, detail, path);
}
