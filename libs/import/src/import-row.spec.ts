import { ShipmentColumn } from './csv-reader';
import { validateImportRow } from './import-row';

const valid: Record<ShipmentColumn, string> = {
  tracking_number: 'TN1',
  carrier: 'DHL',
  sender_address: 'Street 1, 10115 Berlin, Germany',
  receiver_address: 'Street 10, 75001 Paris, France',
  article_name: 'Laptop',
  article_quantity: '1',
  article_price: '800',
  sku: 'LP123',
  status: 'in-transit',
  status_time: '',
};

describe(validateImportRow.name, () => {
  it('accepts a valid row', () => {
    expect(validateImportRow(valid)).toEqual([]);
  });

  it.each<[Partial<Record<ShipmentColumn, string>>]>([
    [{ article_price: '19.99' }],
    [{ article_price: '0' }],
    [{ article_price: ' 7.5 ' }],
    [{ article_quantity: '12' }],
    [{ status: '' }],
    [{ receiver_address: 'Street 10\n75001 Paris\nFrance' }],
    [{ article_name: 'Caf\u00e9 cr\u00e8me \u2013 500\u00a0g' }],
    [{ status_time: '2026-11-30T14:05:00Z' }],
    [{ status_time: '2026-11-30 15:05:00+01:00' }],
    // No zone: read as UTC, with the batch's warning.
    [{ status_time: '2026-11-30T14:05:00' }],
    [{ status_time: '  ' }],
  ])('accepts %j', (change) => {
    expect(validateImportRow({ ...valid, ...change })).toEqual([]);
  });

  it.each<[Partial<Record<ShipmentColumn, string>>, RegExp]>([
    [{ tracking_number: '' }, /^tracking_number is empty$/],
    [{ tracking_number: '   ' }, /^tracking_number is empty$/],
    [{ carrier: '' }, /^carrier is empty$/],
    [{ sku: '' }, /^sku is empty$/],
    [{ article_quantity: '0' }, /^article_quantity must be a whole number from 1 .* \(got "0"\)$/],
    [{ status_time: '30/11/2026' }, /^status_time is not an ISO 8601 date-time/],
    [{ status_time: '2999-01-01T00:00:00Z' }, /^status_time is more than a day in the future/],
    [{ article_quantity: '-1' }, /^article_quantity must be a whole number/],
    [{ article_quantity: '1.5' }, /^article_quantity must be a whole number/],
    [{ article_quantity: 'two' }, /^article_quantity must be a whole number/],
    [{ article_quantity: '' }, /^article_quantity must be a whole number from 1 to 999999999$/],
    [{ article_price: '-1' }, /^article_price must be a number >= 0/],
    [{ article_price: 'abc' }, /^article_price must be a number >= 0/],
    [{ article_price: '1.999' }, /^article_price must be a number >= 0 with at most 2 decimals/],
    [{ article_price: '1e3' }, /^article_price must be a number/],
    [{ tracking_number: 'A'.repeat(65) }, /^tracking_number is longer than 64 characters/],
    [{ carrier: 'DH\u0007L' }, /^carrier contains a control character \(U\+0007\)$/],
    [
      { tracking_number: 'TN\u200b1' },
      /^tracking_number contains an invisible character \(U\+200B\)$/,
    ],
    [{ carrier: '\u2060DHL' }, /^carrier contains an invisible character \(U\+2060\)$/],
    [
      { tracking_number: 'TN\u00a01' },
      /^tracking_number contains an invisible character \(U\+00A0\)$/,
    ],
    [{ sku: 'S\u0000K' }, /^sku contains a control character \(U\+0000\)$/],
    [{ article_name: 'Lap\u0000top' }, /^article_name contains a control character \(U\+0000\)$/],
    [{ sender_address: 'Street 1\u0000, Berlin' }, /^sender_address contains a control character/],
    [{ receiver_address: '\u0000' }, /^receiver_address contains a control character/],
    [{ status: 'in\u0000transit' }, /^status contains a control character \(U\+0000\)$/],
  ])('refuses %j', (change, reason) => {
    const reasons = validateImportRow({ ...valid, ...change });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(reason);
  });

  it('reports every field at fault', () => {
    expect(validateImportRow({ ...valid, sku: '', article_price: '-3' })).toHaveLength(2);
  });
});
