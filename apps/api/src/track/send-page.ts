import type { FastifyReply } from 'fastify';
import { CACHE_PRIVATE, CACHE_PUBLIC, varyAlsoOn } from '../http/entity-tags';
import type { PageContext } from './views/pages';

/**
 * The pages' Content-Security-Policy, stricter than the API's: nothing but this origin's files,
 * no inline script, style or event handler (the pages have no script; `script-src 'self'` only
 * says so in the API's own terms), forms only to here.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * Sends a page with its headers: HTML, its language (and that it depends on Accept-Language),
 * the CSP, and how caches may keep it: `public` for what anyone may see, else never stored.
 */
export function sendPage(
  reply: FastifyReply,
  context: PageContext,
  {
    status,
    html,
    cache,
    headers = {},
  }: {
    status: number;
    html: string;
    cache: 'public' | 'no-store';
    headers?: Record<string, string>;
  },
): void {
  void reply
    .status(status)
    .headers({
      ...headers,
      'content-type': 'text/html; charset=utf-8',
      'content-language': context.language,
      'content-security-policy': PAGE_CSP,
      'cache-control': cache === 'public' ? CACHE_PUBLIC : CACHE_PRIVATE,
      vary: varyAlsoOn(reply, 'Accept-Language'),
    })
    .send(html);
}
