import { AppConfig } from '@app/config';
import { ShipmentImporter } from '@app/import';
import { ShipmentsRepository } from '@app/shipments';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { existsSync } from 'node:fs';

/** Imports the sample CSV into an empty database, so a fresh start answers real lookups at once. */
@Injectable()
export class SampleDataSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(SampleDataSeeder.name);

  constructor(
    private readonly config: AppConfig,
    private readonly shipments: ShipmentsRepository,
    private readonly importer: ShipmentImporter,
  ) {}

  /** After the migrations (DatabaseLifecycle runs them at module init), before the server listens. */
  onApplicationBootstrap(): Promise<void> {
    return this.seedIfEmpty();
  }

  async seedIfEmpty(): Promise<void> {
    const { importWhenEmpty, file } = this.config.sampleData;
    if (!importWhenEmpty || (await this.shipments.findFirstKey())) return;
    if (!existsSync(file)) {
      this.logger.warn(`The database is empty and the sample ${file} is missing; nothing imported`);
      return;
    }
    const report = await this.importer.import(file);
    this.logger.log(
      `The database was empty: imported ${report.shipmentsCreated} shipments from ${file}`,
    );
  }
}
