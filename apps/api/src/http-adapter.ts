import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { newProblem, PROBLEM_CONTENT_TYPE, sendProblem, toProblem } from './common/problem';
import { PROBLEMS } from './common/problem-types';

/**
 * Fastify under Nest: the warm lookup measured about twice the requests per second of Express
 * (BENCHMARKS.md). Path parameters up to 1,000 characters reach the validation pipe, which answers
 * 400 for anything over 64, instead of the router's default 100-character 404. Every error the
 * server itself writes is problem details too: a malformed URL, a request arriving while the
 * server drains (503 with Retry-After), and what Node's parser refuses before a request exists
 * (431 headers too large, 408 too slow, 400 garbage).
 */
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    routerOptions: { maxParamLength: 1000 },
    // On close, let requests in flight finish; Node's server.close() drops idle keep-alives itself.
    forceCloseConnections: false,
    // Fastify's own drain-time 503 has its own body; ours (below) is problem details.
    return503OnClosing: false,
    clientErrorHandler: answerClientError,
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      sendProblem(reply, toProblem(error, request.url.split('?')[0]));
    },
  });
  const fastify = adapter.getInstance();
  let draining = false;
  fastify.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!draining) return done();
    const { status, type, example } = PROBLEMS.shuttingDown;
    const problem = newProblem(status, example.detail, request.url.split('?')[0], type);
    sendProblem(reply, problem, { connection: 'close' });
  });
  return adapter;
}

/** Node's `clientError`: no request object exists yet, so the answer is written to the socket. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request line and headers are too large (at most 16 KB in all)']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request was not received in time']
        : [400, 'The request is not valid HTTP'];
  const body = JSON.stringify(newProblem(status, detail));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
