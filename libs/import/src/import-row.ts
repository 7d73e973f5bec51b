import { HasNoControlCharacters, IsLookupKey } from '@app/shipments';
import { Matches, MaxLength, validateSync } from 'class-validator';
import { ShipmentColumn } from './csv-reader';

const NOT_BLANK = /\S/;

/**
 * The rules one CSV record must pass before it is imported: every field is checked here, so no
 * value can reach the database and abort the batch (a NUL byte, an over-long text). Fields
 * arrive as strings; the numeric rules are checked on the text so `1.5`, `1e3` or `-0` are
 * refused, not coerced. Messages start with the column's name.
 */
export class ImportRow {
  @IsLookupKey()
  tracking_number: string;

  @IsLookupKey()
  carrier: string;

  @HasNoControlCharacters(true)
  @MaxLength(500, { message: 'sender_address is longer than 500 characters' })
  sender_address: string;

  @HasNoControlCharacters(true)
  @MaxLength(500, { message: 'receiver_address is longer than 500 characters' })
  receiver_address: string;

  @HasNoControlCharacters(true)
  @MaxLength(500, { message: 'article_name is longer than 500 characters' })
  article_name: string;

  @Matches(/^\s*0*[1-9]\d{0,8}\s*$/, {
    message: 'article_quantity must be a whole number from 1 to 999999999',
  })
  article_quantity: string;

  @Matches(/^\s*\d{1,10}(\.\d{1,2})?\s*$/, {
    message: 'article_price must be a number >= 0 with at most 2 decimals (e.g. 19.99)',
  })
  article_price: string;

  @Matches(NOT_BLANK, { message: 'sku is empty' })
  @HasNoControlCharacters()
  @MaxLength(64, { message: 'sku is longer than 64 characters' })
  sku: string;

  @HasNoControlCharacters()
  @MaxLength(100, { message: 'status is longer than 100 characters' })
  status: string;
}

/** Validates one record; returns the reasons it is refused (empty when valid). */
export function validateImportRow(fields: Record<ShipmentColumn, string>): string[] {
  const row = Object.assign(new ImportRow(), fields);
  // No target or value copies in the errors: the messages are built from `fields` below.
  const errors = validateSync(row, {
    stopAtFirstError: true,
    validationError: { target: false, value: false },
  });
  return errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => {
      const value = fields[error.property as ShipmentColumn];
      return value && value.trim() !== '' && !message.includes('character')
        ? `${message} (got ${JSON.stringify(value)})`
        : message;
    }),
  );
}
