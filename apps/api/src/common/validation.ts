import { INVISIBLE, LOOKUP_KEY_MAX_LENGTH, PRINTABLE } from '@app/shipments';
import { applyDecorators, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, ValidateBy } from 'class-validator';
import { RequestValidationError } from './problem';

/**
 * A carrier or tracking number in a URL: 1 to 64 printable characters. Validates and documents
 * the rule in Swagger in one place.
 */
export function LookupKey(description: string, example: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description, example, minLength: 1, maxLength: LOOKUP_KEY_MAX_LENGTH }),
    IsString(),
    MaxLength(LOOKUP_KEY_MAX_LENGTH, {
      message: `$property must be at most ${LOOKUP_KEY_MAX_LENGTH} characters`,
    }),
    Matches(/\S/, { message: '$property must not be blank' }),
    Matches(PRINTABLE, { message: '$property must not contain control characters' }),
    // Zero-width and other invisible characters: no imported key has them (the importer refuses
    // them too), and a key holding one can't be typed back from a label.
    ValidateBy({
      name: 'hasNoInvisibleCharacters',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || !PRINTABLE.test(value) || !INVISIBLE.test(value.trim()),
        defaultMessage: (args) => `${args?.property} must not contain invisible characters`,
      },
    }),
  );
}

/** The global pipe: strips unknown fields, converts types, and answers 400 with every field at fault. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    exceptionFactory: (errors) => new RequestValidationError(flatten(errors)),
  });
}

function flatten(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
