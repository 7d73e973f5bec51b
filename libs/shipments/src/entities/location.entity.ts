import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A receiver location: where the weather is asked for. Only postcode and country leave us. */
@Entity('locations')
@Unique('locations_country_code_zip_key', ['countryCode', 'zip'])
export class Location {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'country_code', type: 'char', length: 2 })
  countryCode: string;

  @Column({ type: 'text' })
  zip: string;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  @Column({ name: 'geocoded_at', type: 'timestamptz', nullable: true })
  geocodedAt: Date | null;

  @Column({ name: 'weather_provider', type: 'text', nullable: true })
  weatherProvider: string | null;

  @Column({ name: 'weather_fetched_at', type: 'timestamptz', nullable: true })
  weatherFetchedAt: Date | null;

  @Column({ name: 'weather_observed_at', type: 'timestamptz', nullable: true })
  weatherObservedAt: Date | null;

  @Column({ name: 'weather_attempted_at', type: 'timestamptz', nullable: true })
  weatherAttemptedAt: Date | null;

  @Column({ name: 'weather_error', type: 'text', nullable: true })
  weatherError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
