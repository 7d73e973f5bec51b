import { Module } from '@nestjs/common';
import { LocationsRepository } from './locations.repository';
import { ShipmentsRepository } from './shipments.repository';

/**
 * The shipment data: all SQL about shipments, articles and locations. Needs DatabaseModule
 * (registered once by the app, with MIGRATIONS). An import needs only this.
 */
@Module({
  providers: [ShipmentsRepository, LocationsRepository],
  exports: [ShipmentsRepository, LocationsRepository],
})
export class ShipmentsModule {}
