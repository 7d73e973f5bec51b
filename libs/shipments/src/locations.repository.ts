import { Coordinates, WeatherFetchEvent } from '@app/weather';
import { Injectable } from '@nestjs/common';
import { DatabaseAvailability } from '@app/infra';
import { LocationRecord } from './shipment.types';

interface LocationRow {
  id: string;
  country_code: string;
  zip: string;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
}

const LOCATION_COLUMNS = 'l.id, l.country_code, l.zip, l.city, l.latitude, l.longitude';

/** Receivers whose parcel is still on its way: the only places worth keeping the weather warm for. */
const ACTIVE = `EXISTS (SELECT 1 FROM shipments s WHERE s.receiver_location_id = l.id AND s.status <> 'delivered')`;

/** All SQL about receiver locations. */
@Injectable()
export class LocationsRepository {
  constructor(private readonly database: DatabaseAvailability) {}

  /** Distinct receiver locations of shipments not yet delivered. */
  async findActiveReceiverLocations(): Promise<LocationRecord[]> {
    const rows: LocationRow[] = await this.database.query(
      `SELECT ${LOCATION_COLUMNS} FROM locations l WHERE ${ACTIVE} ORDER BY l.id`,
    );
    return rows.map(toRecord);
  }

  /**
   * Up to `limit` active locations that never had a reading and weren't tried in the last few
   * minutes, those never tried first.
   */
  async findActiveLocationsWithoutReading(limit: number): Promise<LocationRecord[]> {
    const rows: LocationRow[] = await this.database.query(
      `SELECT ${LOCATION_COLUMNS} FROM locations l
        WHERE l.weather_fetched_at IS NULL
          AND (l.weather_attempted_at IS NULL OR l.weather_attempted_at < now() - interval '5 minutes')
          AND ${ACTIVE}
        ORDER BY l.weather_attempted_at NULLS FIRST, l.id
        LIMIT $1`,
      [limit],
    );
    return rows.map(toRecord);
  }

  async findByCountryAndZip(countryCode: string, zip: string): Promise<LocationRecord | null> {
    const rows: LocationRow[] = await this.database.query(
      `SELECT ${LOCATION_COLUMNS} FROM locations l WHERE l.country_code = $1 AND l.zip = $2`,
      [countryCode, zip],
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  /** Keeps new coordinates for good and the reading's metadata (or the failure) on the location. */
  async recordWeatherFetch(event: WeatherFetchEvent): Promise<void> {
    const { location, geocoded, report, error } = event;
    await this.database.query(
      `UPDATE locations SET
         latitude = COALESCE($3, latitude),
         longitude = COALESCE($4, longitude),
         geocoded_at = CASE WHEN $3::float8 IS NULL THEN geocoded_at ELSE now() END,
         weather_provider = COALESCE($5, weather_provider),
         weather_fetched_at = COALESCE($6::timestamptz, weather_fetched_at),
         weather_observed_at = COALESCE($7::timestamptz, weather_observed_at),
         weather_attempted_at = now(),
         weather_error = $8
       WHERE country_code = $1
         AND CASE WHEN $2::text IS NULL THEN zip IS NULL AND lower(city) = lower($9) ELSE zip = $2 END`,
      [
        location.countryCode,
        location.zip,
        geocoded?.latitude ?? null,
        geocoded?.longitude ?? null,
        report?.provider ?? null,
        report?.fetchedAt ?? null,
        report?.observedAt ?? null,
        error,
        location.city ?? null,
      ],
    );
  }
}

function toRecord(row: LocationRow): LocationRecord {
  return {
    id: row.id,
    countryCode: row.country_code,
    zip: row.zip,
    city: row.city,
    coordinates: toCoordinates(row),
  };
}

/** Coordinates from a row's latitude and longitude columns; null until geocoded. */
export function toCoordinates(row: {
  latitude: number | null;
  longitude: number | null;
}): Coordinates | null {
  return row.latitude === null || row.longitude === null
    ? null
    : { latitude: row.latitude, longitude: row.longitude };
}
