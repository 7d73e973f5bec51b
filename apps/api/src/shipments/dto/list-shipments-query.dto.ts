import { CANONICAL_STATUSES, CanonicalStatus, PRINTABLE } from '@app/shipments';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsoTime } from '../../common/validation';

export const MAX_PAGE_SIZE = 100;

/**
 * Only plain decimal digits become a number: `Number()` would also read `0x10`, `1e3`, ` 7 `
 * or `0b1`, so a value that is not digits stays text and fails the integer rule.
 */
const decimal = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;

export class ListShipmentsQueryDto {
  @ApiPropertyOptional({
    description: 'Only this carrier (any case).',
    example: 'DHL',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64, { message: 'carrier must be at most 64 characters' })
  @Matches(PRINTABLE, { message: 'carrier must not contain control characters' })
  carrier?: string;

  @ApiPropertyOptional({
    description: 'Only this canonical status.',
    enum: CANONICAL_STATUSES,
    enumName: 'CanonicalStatus',
  })
  @IsOptional()
  @IsIn(CANONICAL_STATUSES, { message: `status must be one of: ${CANONICAL_STATUSES.join(', ')}` })
  status?: CanonicalStatus;

  @ApiPropertyOptional({
    description:
      'Only shipments changed (status, addresses or articles) at or after this time: ISO 8601 ' +
      'with `Z` or an offset (without one, or a date alone, it is UTC). Keep the newest ' +
      '`updatedAt` you saw and pass it next time to fetch only what changed since.',
    type: String,
    format: 'date-time',
    example: '2026-11-30T00:00:00Z',
  })
  @IsOptional()
  @IsoTime()
  updatedSince?: Date;

  @ApiPropertyOptional({
    description: 'Page number, from 1.',
    type: 'integer',
    default: 1,
    minimum: 1,
    maximum: 1_000_000,
  })
  @IsOptional()
  @Transform(decimal)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1, { message: 'page must be at least 1' })
  @Max(1_000_000, { message: 'page must be at most 1000000' })
  page: number = 1;

  @ApiPropertyOptional({
    description: `Items per page, from 1; values above ${MAX_PAGE_SIZE} are capped to ${MAX_PAGE_SIZE} (not refused).`,
    type: 'integer',
    default: 20,
    minimum: 1,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => {
    const number = decimal({ value });
    return typeof number === 'number' && number > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : number;
  })
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  limit: number = 20;
}
