import { Column } from 'typeorm';

/** An address as imported plus what the parser found in it; embedded twice in Shipment. */
export class AddressColumns {
  /** The full line as imported: personal data, only shown behind the zip or an API key. */
  @Column({ name: 'address', type: 'text' })
  line: string;

  @Column({ type: 'text', nullable: true })
  zip: string | null;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ type: 'text', nullable: true })
  country: string | null;

  @Column({ name: 'country_code', type: 'char', length: 2, nullable: true })
  countryCode: string | null;
}
