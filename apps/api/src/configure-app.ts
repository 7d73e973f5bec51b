import { AppConfig } from '@app/config';
import { Metrics } from '@app/infra';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { createValidationPipe } from './common/validation';
import { registerEdgePlugins } from './http/edge-plugins';
import { entityTagHook } from './http/entity-tags';
import { observeRequests } from './http/observe-requests';
import { RouteMethods } from './http/route-methods';
import type { Logger } from './logging/logger';
import { createOpenApiDocument } from './openapi';
import { TrackPageFilter } from './track/track-page.filter';
import { TRACK_PATH } from './track/views/pages';

export const DOCS_PATH = 'api/docs';

/**
 * Everything about the HTTP surface that main.ts and the tests share. Called before init, so the
 * hooks here run for every route Nest registers then.
 */
export async function configureApp(
  app: NestFastifyApplication,
  config: AppConfig,
  { accessLog = null }: { accessLog?: Logger | null } = {},
): Promise<NestFastifyApplication> {
  const fastify = app.getHttpAdapter().getInstance();
  const routes = new RouteMethods(fastify);
  observeRequests(fastify, {
    metrics: config.observability.metricsEnabled ? app.get(Metrics) : null,
    accessLog,
  });
  // Before compression (a plugin, so its hook comes later): the tag is over the JSON itself.
  fastify.addHook('onSend', entityTagHook);
  await registerEdgePlugins(app, config);

  // Each controller names its full path (no global prefix with exceptions), so the start-up
  // log's route list is the true one: /health, not /api/health.
  app.useGlobalPipes(createValidationPipe());
  // Unknown paths under /track are pages too (a receiver's typo gets the form, not JSON).
  app.useGlobalFilters(
    new ProblemDetailsFilter(routes, { prefix: TRACK_PATH, filter: new TrackPageFilter() }),
  );

  const document = createOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}-json` });
  return app;
}
