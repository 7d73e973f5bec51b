import helmet, { HelmetOptions } from 'helmet';
import type { ServerResponse } from 'node:http';

/**
 * Helmet's headers for this API: its defaults (CSP `default-src 'self'`, nosniff, frame and
 * referrer policies, HSTS, ...), which keep Swagger UI working since its scripts are files of
 * this origin, without `upgrade-insecure-requests`: on plain http://localhost and behind
 * TLS-terminating proxies it would send Swagger UI's own files to https.
 */
const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
};

/**
 * The headers helmet sets, computed once. With a fixed configuration (no per-request nonces) they
 * are the same on every response, and @fastify/helmet rebuilt helmet's middleware from its options
 * on every request (about 35 µs of CPU each, in the profile of the warm lookup).
 */
export function securityHeaders(options: HelmetOptions = OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | string[]) {
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name];
    },
    getHeader: () => undefined,
  } as unknown as ServerResponse;
  // Helmet 8 throws a bad option at once; the callback only says it is done.
  helmet(options)({} as never, response, () => undefined);
  return headers;
}
