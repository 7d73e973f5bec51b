import { AppConfig } from '@app/config';
import { Metrics } from '@app/infra';
import { Controller, Get, Headers, OnModuleInit, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SecretSet } from '../auth/secret-set';
import { ApiProblem } from '../common/api-problem.decorator';
import { ProblemException } from '../common/problem';
import { PROBLEMS } from '../common/problem-types';

/** Prometheus scrapes here (METRICS_ENABLED); with METRICS_TOKEN set, only with that bearer token. */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController implements OnModuleInit {
  private readonly token: SecretSet | null;

  constructor(
    private readonly metrics: Metrics,
    config: AppConfig,
  ) {
    const { metricsToken } = config.observability;
    this.token = metricsToken ? new SecretSet([metricsToken]) : null;
  }

  onModuleInit(): void {
    this.metrics.collectProcessMetrics();
  }

  @Get()
  @ApiOperation({
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    description:
      'The text exposition format: `http_request_duration_seconds`, `weather_lookups_total`, ' +
      '`weather_upstream_requests_total`, `weather_call_budget_remaining`, `weather_circuit_open`, ' +
      '`weather_refresh_runs_total`, `weather_refresh_duration_seconds`, `rate_limited_requests_total` ' +
      'and the process metrics. With METRICS_TOKEN set it needs `Authorization: Bearer <token>`. ' +
      'Not rate limited.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text format 0.0.4.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiProblem('METRICS_TOKEN is set and the request has no or another bearer token.', [
    PROBLEMS.unauthorized,
  ])
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    if (this.token && !this.authorized(authorization)) {
      void reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new ProblemException(
        PROBLEMS.unauthorized,
        'GET /metrics needs the header Authorization: Bearer <METRICS_TOKEN>',
      );
    }
    void reply.header('cache-control', 'no-store').type(this.metrics.contentType);
    return this.metrics.render();
  }

  /** The bearer token, compared in constant time (SecretSet). */
  private authorized(header: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match !== null && this.token !== null && this.token.has(match[1]);
  }
}
