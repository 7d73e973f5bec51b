import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { CanonicalStatus } from '../status/canonical-status';
import { AddressColumns } from './address.columns';
import { Article } from './article.entity';
import { Location } from './location.entity';

@Entity('shipments')
@Index('shipments_status_idx', ['status'])
export class Shipment {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** As imported; unique together with the tracking number, compared case-insensitively. */
  @Column({ type: 'text' })
  carrier: string;

  @Column({ name: 'tracking_number', type: 'text' })
  trackingNumber: string;

  @Column({ type: 'text' })
  status: CanonicalStatus;

  @Column({ name: 'carrier_status', type: 'text' })
  carrierStatus: string;

  @Column(() => AddressColumns, { prefix: 'sender_' })
  sender: AddressColumns;

  @Column(() => AddressColumns, { prefix: 'receiver_' })
  receiver: AddressColumns;

  @ManyToOne(() => Location, { nullable: true })
  @JoinColumn({ name: 'receiver_location_id' })
  receiverLocation: Location | null;

  @OneToMany(() => Article, (article) => article.shipment)
  articles: Article[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
