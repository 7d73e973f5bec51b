import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from './common/problem';

/**
 * Fastify under Nest: the warm lookup measured about twice the requests per second of Express
 * (BENCHMARKS.md). Path parameters up to 1,000 characters reach the validation pipe, which answers
 * 400 for anything over 64, instead of the router's default 100-character 404. Errors Fastify
 * raises before Nest sees the request (a malformed URL) are problem details too.
 */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    routerOptions: { maxParamLength: 1000 },
    // On close, let requests in flight finish; Node's server.close() drops idle keep-alives itself.
    forceCloseConnections: false,
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const problem = toProblem(error, request.url.split('?')[0]);
      void reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
    },
  });
}
