import { MigrationInterface, QueryRunner } from 'typeorm';

/** Shipments and their articles, with the database enforcing the import rules too. */
export class CreateShipments1764090000000 implements MigrationInterface {
  name = 'CreateShipments1764090000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE shipments (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        carrier text NOT NULL CHECK (btrim(carrier) <> ''),
        tracking_number text NOT NULL CHECK (btrim(tracking_number) <> ''),
        status text NOT NULL,
        carrier_status text NOT NULL,
        sender_address text NOT NULL,
        sender_zip text,
        sender_city text,
        sender_country text,
        sender_country_code char(2),
        receiver_address text NOT NULL,
        receiver_zip text,
        receiver_city text,
        receiver_country text,
        receiver_country_code char(2),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Carrier and tracking number are looked up case-insensitively, so they are unique that way.
    await db.query(`
      CREATE UNIQUE INDEX shipments_carrier_tracking_number_key
        ON shipments (lower(carrier), lower(tracking_number))`);
    await db.query(`CREATE INDEX shipments_status_idx ON shipments (status)`);
    await db.query(`
      CREATE TABLE articles (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        shipment_id bigint NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
        sku text NOT NULL CHECK (btrim(sku) <> ''),
        name text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        price numeric(12, 2) NOT NULL CHECK (price >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT articles_shipment_id_sku_key UNIQUE (shipment_id, sku)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE articles`);
    await db.query(`DROP TABLE shipments`);
  }
}
