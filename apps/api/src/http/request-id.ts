import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** At most 64 printable ASCII characters: safe to log and to send back as a header. */
const ACCEPTABLE = /^[\x20-\x7e]{1,64}$/;

/**
 * The request's id: the caller's `X-Request-Id` when it is an acceptable one (a balancer or a
 * client correlating its own logs), a new UUID otherwise.
 */
export function requestIdOf(request: IncomingMessage): string {
  const offered = request.headers[REQUEST_ID_HEADER];
  return typeof offered === 'string' && ACCEPTABLE.test(offered) ? offered : randomUUID();
}
