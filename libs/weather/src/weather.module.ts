import { AppConfig } from '@app/config';
import KeyvRedis, { Keyv } from '@keyv/redis';
import { HttpModule } from '@nestjs/axios';
import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { CallBudget } from './call-budget';
import { OpenMeteoProvider } from './providers/open-meteo.provider';
import { OpenWeatherMapProvider } from './providers/openweathermap.provider';
import { RedisConnection } from './redis-connection';
import { RedisModule } from './redis.module';
import { UpstreamHttp } from './upstream-http';
import { WeatherCache } from './weather-cache';
import { WeatherProvider } from './weather-provider';
import { WeatherService } from './weather.service';

/** Weather for a location: providers, the Redis cache, the call budget. Knows nothing of shipments. */
@Module({
  imports: [
    RedisModule,
    HttpModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ timeout: config.weather.timeoutMs, maxRedirects: 0 }),
    }),
    CacheModule.registerAsync({
      imports: [RedisModule],
      inject: [RedisConnection],
      // Without Redis, an in-process Keyv (a Map): fine for one instance.
      useFactory: (redis: RedisConnection) => {
        const client = redis.unconnectedClient;
        const store = client
          ? new Keyv({ store: new KeyvRedis(client), namespace: 'shipments' })
          : new Keyv();
        return { stores: [store] };
      },
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
  exports: [WeatherService, RedisModule],
})
export class WeatherModule {}
