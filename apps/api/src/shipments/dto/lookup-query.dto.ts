import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PRINTABLE } from '@app/shipments';

export class LookupQueryDto {
  /** The receiver's postcode: proves the caller is the receiver and reveals the street lines. */
  @ApiPropertyOptional({
    description:
      "The receiver's postcode (case and spaces ignored). When it matches, `sender` and `receiver` " +
      'also carry the full `address`; when it does not, the answer is 403.',
    example: '75001',
    maxLength: 16,
  })
  @IsOptional()
  @IsString()
  @MaxLength(16, { message: 'zip must be at most 16 characters' })
  @Matches(PRINTABLE, { message: 'zip must not contain control characters' })
  zip?: string;
}
