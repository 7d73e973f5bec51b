import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A receiver address with a city and a country but no readable postcode (Hong Kong has none)
 * still gets a location, found by its city: zip becomes optional, and such locations are unique
 * by country and city regardless of case. Shipments imported before get theirs now.
 */
export class LocationsByCity1764200000000 implements MigrationInterface {
  name = 'LocationsByCity1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE locations ALTER COLUMN zip DROP NOT NULL`);
    await db.query(
      `ALTER TABLE locations ADD CONSTRAINT locations_zip_or_city_check CHECK (zip IS NOT NULL OR city IS NOT NULL)`,
    );
    await db.query(
      `CREATE UNIQUE INDEX locations_country_code_city_key ON locations (country_code, lower(city)) WHERE zip IS NULL`,
    );
    await db.query(`
      INSERT INTO locations (country_code, city)
      SELECT DISTINCT ON (receiver_country_code, lower(receiver_city)) receiver_country_code, receiver_city
        FROM shipments
       WHERE receiver_country_code IS NOT NULL AND receiver_zip IS NULL AND receiver_city IS NOT NULL
       ORDER BY receiver_country_code, lower(receiver_city), id`);
    await db.query(`
      UPDATE shipments s SET receiver_location_id = l.id
        FROM locations l
       WHERE s.receiver_zip IS NULL AND l.zip IS NULL
         AND l.country_code = s.receiver_country_code AND lower(l.city) = lower(s.receiver_city)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE shipments SET receiver_location_id = NULL WHERE receiver_zip IS NULL`);
    await db.query(`DELETE FROM locations WHERE zip IS NULL`);
    await db.query(`DROP INDEX locations_country_code_city_key`);
    await db.query(`ALTER TABLE locations DROP CONSTRAINT locations_zip_or_city_check`);
    await db.query(`ALTER TABLE locations ALTER COLUMN zip SET NOT NULL`);
  }
}
