export * from './address/parse-address';
export * from './status/canonical-status';
export * from './database/database-migrator.service';
export * from './shipment.types';
export * from './shipments.errors';
export * from './shipments.module';
export * from './shipments.repository';
export * from './shipments.service';
