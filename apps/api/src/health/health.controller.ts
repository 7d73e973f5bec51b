import { ReadReplicas } from '@app/infra';
import { Controller, Get } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { ApiProblem } from '../common/api-problem.decorator';
import { HealthCheckDto, NotReadyProblemDto } from '../common/problem-details.dto';
import { ProblemException } from '../common/problem';
import { PROBLEMS } from '../common/problem-types';
import { HealthResultDto } from './health-result.dto';
import { RedisHealthIndicator } from './redis.health';
import { ShutdownState } from './shutdown-state';

@ApiTags('health')
@ApiExtraModels(HealthCheckDto)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly shutdown: ShutdownState,
    private readonly replicas: ReadReplicas,
  ) {}

  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'getLiveness',
    summary: 'Liveness: the process is up and serving HTTP',
  })
  @ApiOkResponse({
    type: HealthResultDto,
    description: 'The process is up (no dependency is checked).',
  })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Ready while this instance can serve lookups, which needs the primary PostgreSQL only: reads
   * fall back from the replicas to it, so each replica is reported (with its lag) and never
   * fails readiness. Redis is shared by every instance and lookups go on without it (no
   * weather), so a Redis outage is reported here but doesn't fail readiness either: a balancer
   * would otherwise pull every instance at once.
   */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: PostgreSQL answers (Redis and read replicas are reported, never fail it)',
  })
  @ApiOkResponse({
    type: HealthResultDto,
    description:
      'PostgreSQL answers; `details.redis` says whether Redis does, `details.replica-N` how each read replica is.',
  })
  @ApiProblem(
    'PostgreSQL does not answer (`checks` says what is down), or this instance is shutting down.',
    [PROBLEMS.notReady, PROBLEMS.shuttingDown],
    NotReadyProblemDto,
  )
  async ready(): Promise<HealthCheckResult> {
    // First thing after SIGTERM: the balancer takes this instance out while it still serves.
    if (this.shutdown.shuttingDown) {
      throw new ProblemException(PROBLEMS.shuttingDown, PROBLEMS.shuttingDown.example.detail);
    }
    const [database, redis] = await Promise.all([
      this.database
        .pingCheck('database', { timeout: 2000 })
        // The driver's words name the server's address: readiness is public, so say less.
        .then((result) => withoutMessage(result)),
      this.redis.enabled ? this.redis.isHealthy('redis') : Promise.resolve({}),
    ]);
    const details: HealthIndicatorResult = { ...database, ...redis, ...this.replicaChecks() };
    const up = (status: string): HealthIndicatorResult =>
      Object.fromEntries(Object.entries(details).filter(([, check]) => check.status === status));
    const result: HealthCheckResult = {
      status: database.database?.status === 'up' ? 'ok' : 'error',
      info: up('up'),
      error: up('down'),
      details,
    };
    if (result.status !== 'ok') {
      const down = Object.keys(result.error ?? {}).join(', ');
      throw new ProblemException(PROBLEMS.notReady, `Not ready: ${down} not answering`, {
        checks: details,
      });
    }
    return result;
  }

  /** `replica-N`: up (fresh enough to read from) or down with why; never the host. */
  private replicaChecks(): HealthIndicatorResult {
    return Object.fromEntries(
      this.replicas.states().map((replica) => [
        `replica-${replica.number}`,
        replica.status === 'up'
          ? { status: 'up', lagMs: replica.lagMs }
          : {
              status: 'down',
              message: replica.reason ?? replica.status,
              ...(replica.lagMs === null ? {} : { lagMs: replica.lagMs }),
            },
      ]),
    );
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
