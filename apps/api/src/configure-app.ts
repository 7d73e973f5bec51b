import { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { createValidationPipe } from './common/validation';
import { createOpenApiDocument } from './openapi';

export const DOCS_PATH = 'api/docs';

/** Everything about the HTTP surface that main.ts and the tests share. */
export function configureApp(app: INestApplication): INestApplication {
  // Each controller names its full path (no global prefix with exceptions), so the start-up
  // log's route list is the true one: /health, not /api/health.
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const document = createOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}-json` });
  return app;
}
