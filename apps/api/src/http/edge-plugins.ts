import { AppConfig } from '@app/config';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RATE_LIMIT_HEADERS } from '../rate-limit/rate-limit.guard';

/** Compression pays off above this size; the lookup's public view is about 1 KB. */
const COMPRESS_THRESHOLD_BYTES = 1024;

/**
 * The HTTP conventions every response follows, from maintained Fastify plugins: CORS when
 * CORS_ORIGINS is set, and gzip or brotli for bodies over 1 KB. (Helmet's security headers are
 * set by the adapter's onRequest hook: see security-headers.ts.)
 */
export async function registerEdgePlugins(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<void> {
  const origins = config.edge.corsOrigins;
  if (origins) {
    await app.register(cors, {
      origin: origins === '*' ? '*' : [...origins],
      methods: ['GET'],
      allowedHeaders: ['X-API-Key', 'X-Request-Id'],
      exposedHeaders: [...RATE_LIMIT_HEADERS, 'Retry-After', 'X-Request-Id', 'ETag'],
      maxAge: 600,
    });
  }
  await app.register(compress, {
    threshold: COMPRESS_THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
  });
}
