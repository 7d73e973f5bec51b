import { CreateShipments1764090000000 } from './1764090000000-create-shipments';
import { CreateLocations1764100000000 } from './1764100000000-create-locations';

/** Every migration, in order. A class list, not a glob: the webpack bundle has no files to glob. */
export const MIGRATIONS = [CreateShipments1764090000000, CreateLocations1764100000000];
