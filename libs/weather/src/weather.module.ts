import { AppConfig } from '@app/config';
import { KEYV_STORE, MetricsModule, RedisModule } from '@app/infra';
import type { Keyv } from 'keyv';
import { HttpModule } from '@nestjs/axios';
import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { CallBudget } from './call-budget';
import { OpenMeteoProvider } from './providers/open-meteo.provider';
import { OpenWeatherMapProvider } from './providers/openweathermap.provider';
import { UpstreamHttp } from './upstream-http';
import { WeatherCache } from './weather-cache';
import { WeatherProvider } from './weather-provider';
import { WeatherService } from './weather.service';

/** Weather for a location: providers, the Redis cache, the call budget. Knows nothing of shipments. */
@Module({
  imports: [
    RedisModule,
    MetricsModule,
    HttpModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ timeout: config.weather.timeoutMs, maxRedirects: 0 }),
    }),
    CacheModule.registerAsync({
      imports: [RedisModule],
      inject: [KEYV_STORE],
      // Redis through the process's one connection; without REDIS_URL an in-process Map.
      useFactory: (store: Keyv) => ({ stores: [store] }),
    }),
  ],
  providers: [
    CallBudget,
    UpstreamHttp,
    WeatherCache,
    WeatherService,
    {
      provide: WeatherProvider,
      inject: [AppConfig, UpstreamHttp],
      useFactory: (config: AppConfig, http: UpstreamHttp): WeatherProvider =>
        config.weather.provider === 'openweathermap'
          ? new OpenWeatherMapProvider(http, config)
          : new OpenMeteoProvider(http, config),
    },
  ],
  exports: [WeatherService],
})
export class WeatherModule {}
