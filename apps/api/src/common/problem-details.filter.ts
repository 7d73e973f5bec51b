import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { RepeatedLog } from '@app/infra';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem, toProblem } from './problem';

/** The one place errors become HTTP responses: RFC 9457 problem details, never a stack trace. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);
  /** 503s are expected states (the database away, not ready): a warning a minute, no stack. */
  private readonly unavailable = new RepeatedLog(this.logger);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const path = request.url.split('?')[0];
    const problem = toProblem(exception, path);
    if (problem.status === 503) {
      this.unavailable.warn(
        request.routeOptions?.url ?? 'unknown',
        `${request.method} ${request.routeOptions?.url ?? path} answered 503: ${problem.detail}`,
      );
    } else if (problem.status >= 500) {
      this.logger.error(
        `${request.method} ${path} failed`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    if (reply.sent) return;
    sendProblem(reply, problem);
  }
}
