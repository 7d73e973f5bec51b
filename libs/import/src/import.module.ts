import { ShipmentsModule } from '@app/shipments';
import { Module } from '@nestjs/common';
import { ShipmentImporter } from './shipment-importer.service';

@Module({
  imports: [ShipmentsModule],
  providers: [ShipmentImporter],
  exports: [ShipmentImporter],
})
export class ImportModule {}
