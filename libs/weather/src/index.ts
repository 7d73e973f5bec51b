export * from './weather.errors';
export * from './weather-provider';
export * from './weather-report';
export * from './weather.module';
export * from './weather.service';
export * from './postcodes';
export { weatherCacheKey } from './weather-cache';
