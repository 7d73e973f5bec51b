import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The status history: one event per status a shipment has had, appended by the import when it
 * creates a shipment or changes its status. Shipments imported before this migration get one
 * event for the status they have, at their last change (the latest time it is known to hold).
 * `updated_at` is indexed for the operators' `updatedSince` list filter.
 */
export class ShipmentEvents1764400000000 implements MigrationInterface {
  name = 'ShipmentEvents1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE shipment_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        shipment_id bigint NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
        status text NOT NULL,
        carrier_status text NOT NULL,
        at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A shipment's events, the latest appended last: the import compares with it, the lookup reads them all.
    await db.query(
      `CREATE INDEX shipment_events_shipment_id_idx ON shipment_events (shipment_id, id)`,
    );
    await db.query(`
      INSERT INTO shipment_events (shipment_id, status, carrier_status, at)
      SELECT id, status, carrier_status, updated_at FROM shipments ORDER BY id`);
    await db.query(`CREATE INDEX shipments_updated_at_idx ON shipments (updated_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX shipments_updated_at_idx`);
    await db.query(`DROP TABLE shipment_events`);
  }
}
