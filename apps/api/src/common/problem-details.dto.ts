import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'trackingNumber', description: 'The parameter or field at fault.' })
  field: string;

  @ApiProperty({ example: 'trackingNumber must be at most 64 characters' })
  message: string;
}

/** RFC 9457 problem details: the body of every error response (`application/problem+json`). */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'about:blank', description: 'A URI reference naming the problem type.' })
  type: string;

  @ApiProperty({ example: 'Not Found', description: 'Short summary of the problem type.' })
  title: string;

  @ApiProperty({ example: 404, description: 'The HTTP status code.' })
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
    type: [FieldErrorDto],
    description: 'One entry per invalid field (400 only).',
  })
  errors?: FieldErrorDto[];
}
