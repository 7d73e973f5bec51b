export * from './csv-reader';
export * from './import-row';
export * from './import.errors';
export * from './import-report';
export * from './import.module';
export * from './shipment-importer.service';
export * from './source/csv-dialect';
export * from './source/text-decoding';
