import { ImportModule, ShipmentImporter } from '@app/import';
import { ShipmentsRepository } from '@app/shipments';
import { TestingModule } from '@nestjs/testing';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from './database';
import { startTestModule } from './modules';

/** The required columns, in the sample's order. */
export const CSV_HEADER =
  'tracking_number,carrier,sender_address,receiver_address,article_name,article_quantity,article_price,sku,status';

/** The importer on a database of its own, emptied before each case; filled in by beforeAll. */
export interface ImportBed {
  importer: ShipmentImporter;
  shipments: ShipmentsRepository;
  dataSource: DataSource;
  /** Writes a CSV file (the header, then `rows`) into the bed's folder and gives its path. */
  csv(name: string, rows: string[], header?: string): Promise<string>;
}

/**
 * For an integration spec of the import: a fresh, unmigrated database (the first import
 * migrates it), the ImportModule on it, a temporary folder for files; `TRUNCATE` of `tables`
 * before each case.
 */
export function useImportBed(
  options: { env?: Record<string, string>; tables?: string } = {},
): ImportBed {
  let db: TestDatabase | undefined;
  let module: TestingModule | undefined;
  let dir = '';
  const bed = {
    csv: async (name: string, rows: string[], header = CSV_HEADER) => {
      const path = join(dir, name);
      await writeFile(path, [header, ...rows].join('\n'));
      return path;
    },
  } as ImportBed;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    module = await startTestModule(db.config(options.env), ImportModule);
    bed.importer = module.get(ShipmentImporter);
    bed.shipments = module.get(ShipmentsRepository);
    bed.dataSource = module.get(DataSource);
    dir = await mkdtemp(join(tmpdir(), 'import-bed-'));
  });
  afterAll(async () => {
    await module?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    if (bed.dataSource.isInitialized) {
      await bed.dataSource.query(`TRUNCATE ${options.tables ?? 'shipments'} CASCADE`);
    }
  });
  return bed;
}
