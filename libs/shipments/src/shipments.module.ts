import { AppConfig } from '@app/config';
import { WeatherModule } from '@app/weather';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseAvailability } from './database/database-availability';
import { DatabaseMigrator } from './database/database-migrator.service';
import { typeOrmOptions } from './database/typeorm-options';
import { LocationsRepository } from './locations.repository';
import { ReceiverWeatherService } from './receiver-weather.service';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';

/** Owns PostgreSQL (connection, schema, queries) and which receiver locations need weather. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({ inject: [AppConfig], useFactory: typeOrmOptions }),
    WeatherModule,
  ],
  providers: [
    DatabaseAvailability,
    DatabaseMigrator,
    ShipmentsRepository,
    LocationsRepository,
    ShipmentsService,
    ReceiverWeatherService,
  ],
  exports: [
    DatabaseAvailability,
    DatabaseMigrator,
    ShipmentsRepository,
    ShipmentsService,
    ReceiverWeatherService,
    WeatherModule,
  ],
})
export class ShipmentsModule {}
