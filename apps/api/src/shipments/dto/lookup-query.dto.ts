import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PRINTABLE } from '@app/shipments';

export class LookupQueryDto {
  /** The receiver's postcode: proves the caller is the receiver and reveals the street lines. */
  @ApiPropertyOptional({
    description:
      "The receiver's postcode (case and spaces ignored): the proof that unlocks the full view. " +
      'When it matches, `sender` and `receiver` carry their `zip` and `address` too; when it does ' +
      'not, the answer is 403.',
    maxLength: 16,
  })
  @IsOptional()
  @IsString()
  @MaxLength(16, { message: 'zip must be at most 16 characters' })
  @Matches(PRINTABLE, { message: 'zip must not contain control characters' })
  zip?: string;
}
