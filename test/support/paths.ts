import { join } from 'node:path';

export const ROOT = join(__dirname, '../..');
export const FIXTURES = join(ROOT, 'test/fixtures');
export const SAMPLE_CSV = join(ROOT, 'shipment.csv');
export const fixture = (name: string): string => join(FIXTURES, name);
