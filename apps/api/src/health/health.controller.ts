import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { ApiProblem } from '../common/api-problem.decorator';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Ready while this instance can serve lookups, which needs PostgreSQL only. Redis is shared by
   * every instance and lookups go on without it (no weather), so a Redis outage is reported here
   * but doesn't fail readiness: a balancer would otherwise pull every instance at once.
   */
  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: PostgreSQL answers (Redis is reported, never fails it)',
  })
  @ApiOkResponse({ description: 'PostgreSQL answers; `details.redis` says whether Redis does.' })
  @ApiProblem(503, 'PostgreSQL does not answer; `checks` says what is down.')
  async ready(): Promise<HealthCheckResult> {
    const [database, redis] = await Promise.all([
      this.database
        .pingCheck('database', { timeout: 2000 })
        // The driver's words name the server's address: readiness is public, so say less.
        .then((result) => withoutMessage(result)),
      this.redis.enabled ? this.redis.isHealthy('redis') : Promise.resolve({}),
    ]);
    const details: HealthIndicatorResult = { ...database, ...redis };
    const up = (status: string): HealthIndicatorResult =>
      Object.fromEntries(Object.entries(details).filter(([, check]) => check.status === status));
    const result: HealthCheckResult = {
      status: database.database?.status === 'up' ? 'ok' : 'error',
      info: up('up'),
      error: up('down'),
      details,
    };
    if (result.status !== 'ok') throw new ServiceUnavailableException(result);
    return result;
  }
}

function withoutMessage(result: HealthIndicatorResult): HealthIndicatorResult {
  return Object.fromEntries(
    Object.entries(result).map(([key, check]) => [
      key,
      check.status === 'up' ? check : { status: 'down', message: 'not answering' },
    ]),
  );
}
