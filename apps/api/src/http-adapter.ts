import { AppConfig } from '@app/config';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { newProblem, PROBLEM_CONTENT_TYPE, sendProblem, toProblem, typed } from './common/problem';
import { PROBLEMS, ProblemType } from './common/problem-types';
import { REQUEST_ID_HEADER, requestIdOf } from './http/request-id';
import { securityHeaders } from './http/security-headers';
import type { Logger } from './logging/logger';

/** Longest URL served: the lookup's is under 200 characters; past this it is 414, unread. */
export const MAX_URL_LENGTH = 2048;
/** No endpoint takes a body; a request announcing a bigger one is refused before it is read. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Fastify under Nest: the warm lookup measured about twice the requests per second of Express
 * (BENCHMARKS.md). Path parameters up to 1,000 characters reach the validation pipe, which answers
 * 400 for anything over 64, instead of the router's default 100-character 404. Every error the
 * server itself writes is problem details with the request id: a malformed or over-long URL, a
 * too big body, a request arriving while the server drains (503 with Retry-After), and what Node's
 * parser refuses before a request exists (431 headers too large, 408 too slow, 400 garbage).
 *
 * With a logger, Fastify logs through it (JSON lines) under the request's id; its own
 * "incoming request" lines stay off, since they carry the query string (a zip is a secret).
 */
export function createHttpAdapter(config: AppConfig, logger?: Logger): FastifyAdapter {
  const { trustProxy } = config.edge;
  const adapter = new FastifyAdapter({
    routerOptions: { maxParamLength: 1000 },
    // On close, let requests in flight finish; Node's server.close() drops idle keep-alives itself.
    forceCloseConnections: false,
    // Fastify's own drain-time 503 has its own body; ours (below) is problem details.
    return503OnClosing: false,
    bodyLimit: MAX_BODY_BYTES,
    // The client (rate limits, the zip lock-out) is the socket's address, or with TRUST_PROXY the
    // address X-Forwarded-For names behind the trusted proxies.
    trustProxy:
      trustProxy === false ? false : typeof trustProxy === 'number' ? trustProxy : [...trustProxy],
    genReqId: requestIdOf,
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: true,
    }),
    ...(logger ? { loggerInstance: logger } : {}),
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
  const security = securityHeaders();
  // One hook for what every request needs before routing: its id, the security headers, and the
  // cheap refusals.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(security).header(REQUEST_ID_HEADER, request.id);
    const refusal = refusalOf(request, draining);
    if (!refusal) return done();
    sendProblem(reply, typed(refusal.problem, refusal.detail, request.url.split('?')[0]), {
      connection: 'close',
    });
  });
  return adapter;
}

/** What a request is refused for before routing, cheaply, with the words; null for the rest. */
function refusalOf(
  request: FastifyRequest,
  draining: boolean,
): { problem: ProblemType; detail: string } | null {
  if (draining) {
    return { problem: PROBLEMS.shuttingDown, detail: PROBLEMS.shuttingDown.example.detail };
  }
  if (request.url.length > MAX_URL_LENGTH) {
    const detail = `The request URL is ${request.url.length} characters long; at most ${MAX_URL_LENGTH} are served`;
    return { problem: PROBLEMS.uriTooLong, detail };
  }
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    const detail = `The request body is over ${MAX_BODY_BYTES} bytes; no endpoint takes a body that large`;
    return { problem: PROBLEMS.payloadTooLarge, detail };
  }
  return null;
}

/** Node's `clientError`: no request object exists yet, so the answer is written to the socket. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, type, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, PROBLEMS.headersTooLarge.type, PROBLEMS.headersTooLarge.example.detail]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'about:blank', 'The request was not received in time']
        : [400, 'about:blank', 'The request is not valid HTTP'];
  const requestId = randomUUID();
  const body = JSON.stringify({ ...newProblem(status, detail, undefined, type), requestId });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `X-Request-Id: ${requestId}\r\nCache-Control: no-store\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
