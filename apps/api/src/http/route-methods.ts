import type { FastifyInstance } from 'fastify';
import FindMyWay, { HTTPMethod } from 'find-my-way';

/**
 * Which methods each registered path answers, so a known path asked with another method is a
 * 405 with `Allow` rather than a 404. Filled by Fastify's onRoute hook as routes are added; asked
 * only on the not-found path, never on a served request.
 */
export class RouteMethods {
  private readonly router = FindMyWay({ maxParamLength: 1000 });
  private readonly methods = new Set<HTTPMethod>();

  constructor(fastify: FastifyInstance) {
    fastify.addHook('onRoute', (route) => {
      for (const method of [route.method].flat() as HTTPMethod[]) {
        // Fastify's own catch-alls (CORS preflight) don't make every path "known".
        if (route.url === '*' || route.url === '/*') continue;
        this.router.on(method, route.url, () => undefined);
        this.methods.add(method);
      }
    });
  }

  /** The methods `path` is served with; empty for an unknown path. */
  allowed(path: string): string[] {
    return [...this.methods].filter((method) => this.router.find(method, path) !== null).sort();
  }
}
