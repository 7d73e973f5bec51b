import { SHIPMENT_COLUMNS } from './shipment-columns';

/**
 * The statements of an import batch, in the order they run. Each takes column arrays (unnest),
 * so a batch of thousands of shipments is four statements, not thousands.
 */

/**
 * Receiver locations first, so the shipments can point at them: by postcode, or by city when the
 * address has none. Params: country codes, zips, cities.
 */
export const INSERT_LOCATIONS = `
  INSERT INTO locations (country_code, zip, city)
  SELECT DISTINCT ON (country_code, zip) country_code, zip, city
    FROM unnest($1::text[], $2::text[], $3::text[]) AS t(country_code, zip, city)
   WHERE country_code IS NOT NULL AND zip IS NOT NULL
  ON CONFLICT (country_code, zip) DO NOTHING`;

/** Locations by city alone, for receivers without a readable postcode. Params as INSERT_LOCATIONS. */
export const INSERT_CITY_LOCATIONS = `
  INSERT INTO locations (country_code, city)
  SELECT DISTINCT ON (country_code, lower(city)) country_code, city
    FROM unnest($1::text[], $2::text[], $3::text[]) AS t(country_code, zip, city)
   WHERE country_code IS NOT NULL AND zip IS NULL AND city IS NOT NULL
  ON CONFLICT (country_code, lower(city)) WHERE zip IS NULL DO NOTHING`;

const names = SHIPMENT_COLUMNS.map((column) => column.name);
const list = (prefix = ''): string => names.map((name) => `${prefix}${name}`).join(', ');

/**
 * Inserts or updates each shipment (one param array per SHIPMENT_COLUMNS entry) and returns, per
 * input row (`ord`, from 1), its id, whether it was inserted (true), changed (false) or left
 * alone (null: nothing differed, so updated_at stays and a re-import changes nothing), and
 * `earlier`: whether an earlier statement of this transaction created it (an import's earlier
 * batch: its created_at is this transaction's now()), so the import counts it once without
 * keeping a list of what it wrote.
 */
export const UPSERT_SHIPMENTS = `
  WITH input AS (
    SELECT t.*, COALESCE(l.id, c.id) AS receiver_location_id
      FROM unnest(${names.map((_, i) => `$${i + 1}::text[]`).join(', ')})
           WITH ORDINALITY AS t(${list()}, ord)
      LEFT JOIN locations l ON l.country_code = t.receiver_country_code AND l.zip = t.receiver_zip
      LEFT JOIN locations c ON t.receiver_zip IS NULL AND c.zip IS NULL
           AND c.country_code = t.receiver_country_code AND lower(c.city) = lower(t.receiver_city)
  ), upserted AS (
    INSERT INTO shipments AS s (${list()}, receiver_location_id)
    SELECT ${list()}, receiver_location_id FROM input ORDER BY ord
    ON CONFLICT (lower(carrier), lower(tracking_number)) DO UPDATE SET
      ${[...names, 'receiver_location_id'].map((name) => `${name} = EXCLUDED.${name}`).join(', ')},
      updated_at = now()
    WHERE (${list('s.')}, s.receiver_location_id)
          IS DISTINCT FROM (${list('EXCLUDED.')}, EXCLUDED.receiver_location_id)
    RETURNING s.id, lower(s.carrier) AS carrier_key, lower(s.tracking_number) AS tracking_key,
              (xmax = 0) AS inserted, (xmax <> 0 AND s.created_at = now()) AS earlier
  ), touched AS (
    SELECT id, carrier_key, tracking_key, inserted, earlier FROM upserted
    UNION ALL
    SELECT s.id, lower(s.carrier), lower(s.tracking_number), NULL, s.created_at = now()
      FROM shipments s JOIN input i
        ON lower(s.carrier) = lower(i.carrier) AND lower(s.tracking_number) = lower(i.tracking_number)
     WHERE NOT EXISTS (SELECT 1 FROM upserted u WHERE u.id = s.id)
  )
  SELECT i.ord::int AS ord, t.id, t.inserted, t.earlier
    FROM touched t JOIN input i
      ON lower(i.carrier) = t.carrier_key AND lower(i.tracking_number) = t.tracking_key`;

/**
 * Inserts or updates articles by (shipment, sku); unchanged ones are left alone. Params:
 * shipment ids, skus, names, quantities, prices. Returns the changed ones.
 */
export const UPSERT_ARTICLES = `
  INSERT INTO articles AS a (shipment_id, sku, name, quantity, price)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::numeric[])
  ON CONFLICT (shipment_id, sku) DO UPDATE SET
    name = EXCLUDED.name, quantity = EXCLUDED.quantity, price = EXCLUDED.price, updated_at = now()
  WHERE (a.name, a.quantity, a.price) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.quantity, EXCLUDED.price)
  RETURNING a.shipment_id, (xmax = 0) AS inserted`;

/** A changed article changes its shipment: its updated_at must say so. Param: shipment ids. */
export const TOUCH_SHIPMENTS = `
  UPDATE shipments SET updated_at = now()
   WHERE id = ANY($1::bigint[]) AND updated_at < now()`;

/**
 * Appends a history event for each shipment whose status is not the one its latest event
 * recorded: a new shipment, or a changed status (another carrier status). Anything else an
 * import changes adds none. Params: shipment ids, event times (null: now(), the import's
 * transaction time). Returns a row per event.
 */
export const APPEND_STATUS_EVENTS = `
  INSERT INTO shipment_events (shipment_id, status, carrier_status, at)
  SELECT s.id, s.status, s.carrier_status, COALESCE(t.at, now())
    FROM unnest($1::bigint[], $2::timestamptz[]) AS t(id, at)
    JOIN shipments s ON s.id = t.id
   WHERE s.carrier_status IS DISTINCT FROM (
         SELECT e.carrier_status FROM shipment_events e
          WHERE e.shipment_id = s.id ORDER BY e.id DESC LIMIT 1)
  RETURNING shipment_id`;
