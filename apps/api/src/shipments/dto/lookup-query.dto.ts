import { ApiPropertyOptional } from '@nestjs/swagger';
import { checkFields, optionalTextProblems, ZIP_MAX_LENGTH } from '../../common/validation';

export class LookupQueryDto {
  /** The receiver's postcode: proves the caller is the receiver and reveals the street lines. */
  @ApiPropertyOptional({
    description:
      "The receiver's postcode (case and spaces ignored): the proof that unlocks the full view. " +
      'When it matches, `sender` and `receiver` carry their `zip` and `address` too; when it does ' +
      'not, the answer is 403.',
    maxLength: ZIP_MAX_LENGTH,
  })
  zip?: string;

  /** PlainlyChecked: the global pipe's fast path on every lookup. */
  static check(value: unknown): LookupQueryDto {
    return checkFields<LookupQueryDto>(value, { zip: optionalTextProblems(ZIP_MAX_LENGTH) });
  }
}
