import { Metrics } from '@app/infra';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** The route label of a request no route matched: one series, whatever the path. */
const UNMATCHED = 'unmatched';

/**
 * One onResponse hook per request for what operators watch: the access line (request id, method,
 * route pattern, status, response time; at info, so LOG_LEVEL=warn turns it off) and the
 * duration histogram. The route is the pattern, never the path: no tracking number, no zip.
 */
export function observeRequests(
  fastify: FastifyInstance,
  { metrics, accessLog }: { metrics: Metrics | null; accessLog: Logger | null },
): void {
  const logging = accessLog?.isLevelEnabled('info') ?? false;
  const histogram = metrics?.httpRequestDuration;
  // One labelled child per (method, route, status): prom-client then skips hashing the labels.
  const series = new Map<string, { observe(value: number): void }>();
  const seriesOf = (method: string, route: string, status: number) => {
    const key = `${method} ${status} ${route}`;
    let child = series.get(key);
    if (!child && histogram) {
      child = histogram.labels({ method, route, status_code: String(status) });
      series.set(key, child);
    }
    return child;
  };
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED;
    const ms = reply.elapsedTime;
    seriesOf(request.method, route, reply.statusCode)?.observe(ms / 1000);
    if (logging) {
      accessLog?.info(
        {
          requestId: request.id,
          method: request.method,
          route,
          status: reply.statusCode,
          responseTime: Math.round(ms * 100) / 100,
        },
        'request completed',
      );
    }
    done();
  });
}
