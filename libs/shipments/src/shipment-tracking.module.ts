import { MetricsModule, RedisModule } from '@app/infra';
import { WeatherModule } from '@app/weather';
import { Module } from '@nestjs/common';
import { LocationWeatherService } from './weather/location-weather.service';
import { ReceiverWeatherService } from './weather/receiver-weather.service';
import { WeatherRefreshService } from './weather/weather-refresh.service';
import { ShipmentsModule } from './shipments.module';
import { ShipmentsService } from './shipments.service';
import { ZipAttempts } from './privacy/zip-attempts';
import { LookupCache } from './lookup-cache';

/**
 * What the API and the refresh serve: the lookup with the weather at the receiver, the weather at
 * a postcode, and the refresh that keeps receivers' weather warm.
 */
@Module({
  imports: [ShipmentsModule, WeatherModule, RedisModule, MetricsModule],
  providers: [
    ShipmentsService,
    LookupCache,
    ZipAttempts,
    ReceiverWeatherService,
    LocationWeatherService,
    WeatherRefreshService,
  ],
  exports: [
    ShipmentsModule,
    ShipmentsService,
    ReceiverWeatherService,
    LocationWeatherService,
    WeatherRefreshService,
  ],
})
export class ShipmentTrackingModule {}
