import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'trackingNumber', description: 'The parameter or field at fault.' })
  field: string;

  @ApiProperty({ example: 'trackingNumber must be at most 64 characters' })
  message: string;
}

/** RFC 9457 problem details: the body of every error response (`application/problem+json`). */
export class ProblemDetailsDto {
  @ApiProperty({
    example: 'urn:problem:shipment-not-found',
    description:
      'A URI naming the problem type: a `urn:problem:*` type (each response lists its own), or ' +
      '`about:blank` for plain HTTP errors such as an unknown route.',
  })
  type: string;

  @ApiProperty({ example: 'Not Found', description: 'Short summary of the problem type.' })
  title: string;

  @ApiProperty({ type: 'integer', example: 404, description: 'The HTTP status code.' })
  status: number;

  @ApiProperty({
    example: 'No shipment with carrier "DHL" and tracking number "TN00000000"',
    description: 'What went wrong in this occurrence, and what to change.',
  })
  detail: string;

  @ApiPropertyOptional({
    example: '/api/v1/shipments/DHL/TN00000000',
    description: 'The request path.',
  })
  instance?: string;

  @ApiPropertyOptional({
    example: '6f1c3a52-0d7e-4a8e-9d5b-2f4b8c1e7a90',
    description:
      "The request's id, as in the X-Request-Id response header: quote it when reporting a problem.",
  })
  requestId?: string;

  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'One entry per invalid field (400 only).',
  })
  errors?: FieldErrorDto[];
}

/** The check of one dependency in a readiness answer. */
export class HealthCheckDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'down' })
  status: 'up' | 'down';

  @ApiPropertyOptional({ example: 'not answering', description: 'Why it is down.' })
  message?: string;

  @ApiPropertyOptional({
    example: 0,
    description:
      'Read replicas (`replica-1`, …): how far behind the primary at the last check, in ms (to within a second).',
  })
  lagMs?: number;
}

/** The readiness 503: problem details with what was checked. */
export class NotReadyProblemDto extends ProblemDetailsDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/HealthCheckDto' },
    description:
      'Each dependency checked (`database`, and `redis` when REDIS_URL is set); absent when the instance is shutting down.',
    example: { database: { status: 'down', message: 'not answering' }, redis: { status: 'up' } },
  })
  checks?: Record<string, HealthCheckDto>;
}
