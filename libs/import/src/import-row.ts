import { controlCharacterProblem, lookupKeyProblem, readIsoTime } from '@app/shipments';
import type { ShipmentColumn } from './csv-reader';

/** How the file writes numbers: a decimal comma is only unambiguous when `,` separates no fields. */
export interface RowDialect {
  decimalComma: boolean;
}

export const POINT_DECIMALS: RowDialect = { decimalComma: false };

const QUANTITY = /^\s*0*[1-9]\d{0,8}\s*$/;
const PRICE = /^\d{1,10}(\.\d{1,2})?$/;
const COMMA_PRICE = /^\d{1,10},\d{1,2}$/;
/** `1,000.50`, `1.000,50`, `1 000,50`, `1'000.50`: digits in groups of three. */
const GROUPED = /^\d{1,3}(?:([.,' ])\d{3})+(?:([.,])\d{1,2})?$/;

const TEXT_LIMITS = [
  ['sender_address', 500, true],
  ['receiver_address', 500, true],
  ['article_name', 500, true],
  ['sku', 64, false],
  ['status', 100, false],
] as const satisfies readonly (readonly [ShipmentColumn, number, boolean])[];

/**
 * The rules one CSV record must pass before it is imported: every field is checked here, so no
 * value can reach the database and abort the batch (a NUL byte, an over-long text). Plain
 * functions rather than a class-validator pass: a million rows pay for each check. Numbers are
 * checked on the text so `1.5`, `1e3` or `-0` are refused, not coerced. Messages start with the
 * column's name; every field at fault is named.
 */
export function validateImportRow(
  fields: Record<ShipmentColumn, string>,
  dialect: RowDialect = POINT_DECIMALS,
): string[] {
  const reasons: string[] = [];
  for (const column of ['tracking_number', 'carrier'] as const) {
    const problem = lookupKeyProblem(fields[column]);
    if (problem) reasons.push(`${column} ${problem}`);
  }
  for (const [column, max, multiline] of TEXT_LIMITS) {
    const value = fields[column];
    if (column === 'sku' && !/\S/.test(value)) {
      reasons.push('sku is empty');
      continue;
    }
    const control = controlCharacterProblem(value, multiline);
    if (control) reasons.push(`${column} ${control}`);
    else if (value.length > max) reasons.push(`${column} is longer than ${max} characters`);
  }
  if (!QUANTITY.test(fields.article_quantity)) {
    reasons.push(
      withValue(
        'article_quantity must be a whole number from 1 to 999999999',
        fields.article_quantity,
      ),
    );
  }
  const price = readPrice(fields.article_price, dialect);
  if ('problem' in price) reasons.push(price.problem);
  const statusTime = readStatusTime(fields.status_time);
  if (statusTime && 'problem' in statusTime) reasons.push(statusTime.problem);
  return reasons;
}

/** A status time ahead of the clock by more than this is a mistake (a swapped day and month). */
const MAX_STATUS_TIME_AHEAD_MS = 24 * 60 * 60 * 1000;

/**
 * The `status_time` field as the database takes it (ISO 8601 in UTC) and whether it named its
 * zone (if not, it is read as UTC and the import warns); null when the field is empty (the
 * import's time is used), or what is wrong with it.
 */
export function readStatusTime(
  text: string,
  now = Date.now(),
): { value: string; zoned: boolean } | { problem: string } | null {
  if (text.trim() === '') return null;
  const time = readIsoTime(text);
  if ('problem' in time) return { problem: withValue(`status_time ${time.problem}`, text) };
  if (time.at.getTime() > now + MAX_STATUS_TIME_AHEAD_MS) {
    return { problem: withValue('status_time is more than a day in the future', text) };
  }
  return { value: time.at.toISOString(), zoned: time.zoned };
}

/**
 * The price as PostgreSQL reads it (`799.99`), from `799.99`, or `799,99` where the dialect
 * allows a decimal comma; a thousands separator is refused with the number to write instead,
 * since `1.000` means one in one country and a thousand in the next.
 */
export function readPrice(
  text: string,
  dialect: RowDialect,
): { value: string } | { problem: string } {
  const price = text.trim();
  if (PRICE.test(price)) return { value: price };
  const isCommaPrice = COMMA_PRICE.test(price);
  if (isCommaPrice && dialect.decimalComma) return { value: price.replace(',', '.') };
  const grouped = GROUPED.exec(price);
  if (grouped && isThousands(price, grouped[1], grouped[2], dialect)) {
    const decimals = grouped[2] ? price.slice(price.lastIndexOf(grouped[2]) + 1) : '';
    const whole = (grouped[2] ? price.slice(0, price.lastIndexOf(grouped[2])) : price).replace(
      /\D/g,
      '',
    );
    return {
      problem:
        `article_price has a thousands separator (got ${JSON.stringify(text)}), which can't be ` +
        `told from a decimal mark; write ${whole}${decimals ? `.${decimals}` : ''}`,
    };
  }
  if (isCommaPrice) {
    return {
      problem:
        `article_price has a decimal comma (got ${JSON.stringify(text)}), which only a ;- or ` +
        `tab-separated file may use; write ${price.replace(',', '.')}`,
    };
  }
  return {
    problem: withValue(
      'article_price must be a number >= 0 with at most 2 decimals (e.g. 19.99)',
      text,
    ),
  };
}

/**
 * Whether grouped digits are a thousands separator rather than a decimal mark with three
 * decimals: a different decimal mark follows, the group separator repeats, or it is the one
 * that can't be this dialect's decimal mark.
 */
function isThousands(
  price: string,
  group: string,
  decimal: string | undefined,
  dialect: RowDialect,
): boolean {
  if (decimal) return decimal !== group;
  if (price.split(group).length > 2 || group === ' ' || group === "'") return true;
  return group === ',' || dialect.decimalComma;
}

function withValue(message: string, value: string): string {
  return value.trim() === '' ? message : `${message} (got ${JSON.stringify(value)})`;
}
