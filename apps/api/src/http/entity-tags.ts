import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

/** Cache-Control of an answer that is the same for everyone (no street lines, no key). */
export const CACHE_PUBLIC = 'public, max-age=60';
/** Cache-Control of an answer for one caller only (street lines, or asked with a key). */
export const CACHE_PRIVATE = 'private, no-store';

/**
 * The Vary header with `field` added to what is there already (CORS puts Origin there): for an
 * answer that depends on that request header too.
 */
export function varyAlsoOn(reply: FastifyReply, field: string): string {
  const vary = reply.getHeader('vary');
  return vary ? `${String(vary)}, ${field}` : field;
}

/** Marks a route whose 200 answers carry an ETag and honour If-None-Match. */
export const WithEntityTag = (): MethodDecorator => RouteConfig({ entityTag: true });

/**
 * onSend: a weak ETag over the JSON body (weak, since compression may change the bytes, not the
 * meaning), and `304 Not Modified` with no body when the client's If-None-Match already has it.
 * Only for 200s of marked routes: an error is never "not modified".
 */
export function entityTagHook(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: null, payload?: unknown) => void,
): void {
  const config = request.routeOptions.config as { entityTag?: boolean } | undefined;
  if (!config?.entityTag || reply.statusCode !== 200 || typeof payload !== 'string') {
    return done(null, payload);
  }
  const tag = `W/"${createHash('sha1').update(payload).digest('base64url')}"`;
  void reply.header('etag', tag);
  if (matches(request.headers['if-none-match'], tag)) {
    void reply.code(304);
    return done(null, '');
  }
  done(null, payload);
}

/** If-None-Match by weak comparison (RFC 9110 13.1.2): `*`, or any listed tag, W/ or not. */
function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = tag.slice(2);
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}
