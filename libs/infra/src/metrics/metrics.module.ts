import { Module } from '@nestjs/common';
import { Metrics } from './metrics';

/** One Metrics per app: every module that records an event imports this one. */
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
