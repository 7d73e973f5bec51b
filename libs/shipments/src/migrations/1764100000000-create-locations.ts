import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Receiver locations keyed by (country code, postcode): coordinates once geocoded (a postcode
 * never moves) and the last weather reading's metadata. Shipments point at their receiver's,
 * so the weather refresh works on distinct locations, not rows.
 */
export class CreateLocations1764100000000 implements MigrationInterface {
  name = 'CreateLocations1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE locations (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        country_code char(2) NOT NULL,
        zip text NOT NULL,
        city text,
        latitude double precision CHECK (latitude BETWEEN -90 AND 90),
        longitude double precision CHECK (longitude BETWEEN -180 AND 180),
        geocoded_at timestamptz,
        weather_provider text,
        weather_fetched_at timestamptz,
        weather_observed_at timestamptz,
        weather_attempted_at timestamptz,
        weather_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT locations_country_code_zip_key UNIQUE (country_code, zip),
        CONSTRAINT locations_coordinates_check CHECK ((latitude IS NULL) = (longitude IS NULL))
      )`);
    await db.query(
      `ALTER TABLE shipments ADD COLUMN receiver_location_id bigint REFERENCES locations (id)`,
    );
    await db.query(
      `CREATE INDEX shipments_receiver_location_id_idx ON shipments (receiver_location_id)`,
    );
    // Shipments imported before this migration get their locations now.
    await db.query(`
      INSERT INTO locations (country_code, zip, city)
      SELECT DISTINCT ON (receiver_country_code, receiver_zip) receiver_country_code, receiver_zip, receiver_city
        FROM shipments
       WHERE receiver_country_code IS NOT NULL AND receiver_zip IS NOT NULL
       ORDER BY receiver_country_code, receiver_zip, id`);
    await db.query(`
      UPDATE shipments s SET receiver_location_id = l.id
        FROM locations l
       WHERE l.country_code = s.receiver_country_code AND l.zip = s.receiver_zip`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE shipments DROP COLUMN receiver_location_id`);
    await db.query(`DROP TABLE locations`);
  }
}
