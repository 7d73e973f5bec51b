import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row counting the imports that changed shipments, bumped inside each import's transaction:
 * every API instance polls it to drop its in-process lookup cache (LookupCache) within 1 s.
 */
export class ShipmentsVersion1764300000000 implements MigrationInterface {
  name = 'ShipmentsVersion1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE shipments_version (
         id boolean PRIMARY KEY DEFAULT true CHECK (id),
         version bigint NOT NULL DEFAULT 0
       )`,
    );
    await db.query(`INSERT INTO shipments_version DEFAULT VALUES`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE shipments_version`);
  }
}
