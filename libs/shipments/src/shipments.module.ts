import { AppConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseMigrator } from './database/database-migrator.service';
import { typeOrmOptions } from './database/typeorm-options';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';

/** Owns PostgreSQL: the connection, the schema and every query about shipments. */
@Module({
  imports: [TypeOrmModule.forRootAsync({ inject: [AppConfig], useFactory: typeOrmOptions })],
  providers: [DatabaseMigrator, ShipmentsRepository, ShipmentsService],
  exports: [DatabaseMigrator, ShipmentsRepository, ShipmentsService],
})
export class ShipmentsModule {}
