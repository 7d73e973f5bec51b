import { INVISIBLE, LOOKUP_KEY_MAX_LENGTH, PRINTABLE, readIsoTime } from '@app/shipments';
import { applyDecorators, ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { RequestValidationError } from './problem';

/**
 * A carrier or tracking number in a URL: 1 to 64 printable characters. Documents the rule in
 * Swagger; `lookupKeyProblems` checks it (see PlainlyChecked).
 */
export function LookupKey(description: string, example: string): PropertyDecorator {
  return ApiProperty({ description, example, minLength: 1, maxLength: LOOKUP_KEY_MAX_LENGTH });
}

/**
 * A query time in ISO 8601 (`2026-11-30T14:05:00Z`, an offset; without one, or a date alone, it
 * is UTC), turned into a Date; a 400 says what is wrong with it (not a time, no such day).
 */
export function IsoTime(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      if (typeof value !== 'string') return value;
      const time = readIsoTime(value);
      return 'at' in time ? time.at : value;
    }),
    ValidateBy({
      name: 'isoTime',
      validator: {
        validate: (value) => value instanceof Date,
        defaultMessage: (args) => {
          const found = typeof args?.value === 'string' ? readIsoTime(args.value) : null;
          return found && 'problem' in found
            ? `${args?.property} ${found.problem}`
            : `${args?.property} must be an ISO 8601 date-time`;
        },
      },
    }),
  );
}

/** What is wrong with a value, as messages naming its field; none when it is fine. */
export type FieldRule = (field: string, value: unknown) => string[];

export const lookupKeyProblems: FieldRule = (field, value) => {
  if (typeof value !== 'string') return [`${field} must be a string`];
  const problems: string[] = [];
  if (value.length > LOOKUP_KEY_MAX_LENGTH)
    problems.push(`${field} must be at most ${LOOKUP_KEY_MAX_LENGTH} characters`);
  if (!/\S/.test(value)) problems.push(`${field} must not be blank`);
  if (!PRINTABLE.test(value)) problems.push(`${field} must not contain control characters`);
  // Zero-width and other invisible characters: no imported key has them (the importer refuses
  // them too), and a key holding one can't be typed back from a label.
  else if (INVISIBLE.test(value.trim()))
    problems.push(`${field} must not contain invisible characters`);
  return problems;
};

/** Longest `zip` a lookup takes (the JSON API's and the tracking page's). */
export const ZIP_MAX_LENGTH = 16;

/** An optional short printable text (a postcode): at most `maxLength` characters. */
export function optionalTextProblems(maxLength: number): FieldRule {
  return (field, value) => {
    if (value === undefined) return [];
    if (typeof value !== 'string') return [`${field} must be a string`];
    const problems: string[] = [];
    if (value.length > maxLength) problems.push(`${field} must be at most ${maxLength} characters`);
    if (!PRINTABLE.test(value)) problems.push(`${field} must not contain control characters`);
    return problems;
  };
}

/**
 * A DTO the global pipe checks with plain functions instead of class-validator: the lookup's
 * parameters, on every public request, where class-validator's metadata walk and
 * class-transformer's copy cost more than the rules themselves.
 */
export interface PlainlyChecked {
  check(value: unknown): object;
}

/**
 * Keeps only the fields named in `rules` (as the pipe's whitelist does) and answers 400 with
 * every problem found, in the same form as class-validator's.
 */
export function checkFields<T extends object>(
  value: unknown,
  rules: Record<keyof T & string, FieldRule>,
): T {
  const source = (value ?? {}) as Record<string, unknown>;
  const checked: Record<string, unknown> = {};
  const problems: { field: string; message: string }[] = [];
  for (const field of Object.keys(rules) as (keyof T & string)[]) {
    const fieldValue = source[field];
    for (const message of rules[field](field, fieldValue)) problems.push({ field, message });
    if (fieldValue !== undefined) checked[field] = fieldValue;
  }
  if (problems.length > 0) throw new RequestValidationError(problems);
  return checked as T;
}

/**
 * The global pipe: strips unknown fields, converts types, and answers 400 with every field at
 * fault; a PlainlyChecked DTO goes through its own `check`.
 */
class ApiValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const check = (metadata.metatype as Partial<PlainlyChecked> | undefined)?.check;
    return check ? Promise.resolve(check(value)) : super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
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
