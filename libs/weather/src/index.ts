export * from './redis-connection';
export * from './redis.module';
export * from './weather.errors';
export * from './weather-provider';
export * from './weather-report';
export * from './weather.module';
export * from './weather.service';
export * from './repeated-log';
