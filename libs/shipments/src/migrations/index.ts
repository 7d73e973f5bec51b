import { CreateShipments1764090000000 } from './1764090000000-create-shipments';
import { CreateLocations1764100000000 } from './1764100000000-create-locations';
import { LocationsByCity1764200000000 } from './1764200000000-locations-by-city';
import { ShipmentsVersion1764300000000 } from './1764300000000-shipments-version';
import { ShipmentEvents1764400000000 } from './1764400000000-shipment-events';

/** Every migration, in order. A class list, not a glob: the webpack bundle has no files to glob. */
export const MIGRATIONS = [
  CreateShipments1764090000000,
  CreateLocations1764100000000,
  LocationsByCity1764200000000,
  ShipmentsVersion1764300000000,
  ShipmentEvents1764400000000,
];
