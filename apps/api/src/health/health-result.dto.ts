import { ApiProperty } from '@nestjs/swagger';
import { HealthCheckDto } from '../common/problem-details.dto';

const CHECKS = {
  type: 'object',
  additionalProperties: { $ref: '#/components/schemas/HealthCheckDto' },
} as const;

/** A health answer (Terminus's shape): every check, and which are up or down. */
export class HealthResultDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status: 'ok';

  @ApiProperty({
    ...CHECKS,
    description: 'The checks that are up.',
    example: { database: { status: 'up' } },
  })
  info: Record<string, HealthCheckDto>;

  @ApiProperty({
    ...CHECKS,
    description:
      'The checks that are down (Redis or a read replica only: neither fails readiness).',
    example: {},
  })
  error: Record<string, HealthCheckDto>;

  @ApiProperty({ ...CHECKS, description: 'Every check.', example: { database: { status: 'up' } } })
  details: Record<string, HealthCheckDto>;
}
