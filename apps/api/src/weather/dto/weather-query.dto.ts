import { PRINTABLE, resolveCountry } from '@app/shipments';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, ValidateBy } from 'class-validator';

export class WeatherQueryDto {
  @ApiProperty({ description: 'Postcode (any case and spacing).', example: '75001', maxLength: 16 })
  @IsString({ message: 'zip is required' })
  @Matches(/\S/, { message: 'zip must not be blank' })
  @MaxLength(16, { message: 'zip must be at most 16 characters' })
  @Matches(PRINTABLE, { message: 'zip must not contain control characters' })
  zip: string;

  @ApiProperty({
    description:
      'Country: ISO 3166-1 alpha-2 code (FR) or a country name (France, The Netherlands, UK).',
    example: 'FR',
    maxLength: 64,
  })
  @IsString({ message: 'country is required' })
  @MaxLength(64, { message: 'country must be at most 64 characters' })
  @ValidateBy({
    name: 'isCountry',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && resolveCountry(value) !== null,
      defaultMessage: () =>
        'country must be an ISO 3166-1 alpha-2 code or a country name, e.g. FR or France',
    },
  })
  country: string;
}
