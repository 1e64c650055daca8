import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Dedup ledger: an event (stream id, revision) is applied at most once, in the same transaction as its rows. */
@Entity({ name: 'processed_events' })
export class ProcessedEvent {
  @PrimaryColumn('text', { name: 'stream_id' })
  streamId!: string;

  @PrimaryColumn('bigint')
  revision!: string;

  @Column('bigint')
  position!: string;

  @Column('timestamptz', { name: 'processed_at', default: () => 'now()' })
  processedAt!: Date;
}

/** A record the projector could not apply: kept with the reason, never silently dropped, retried after a fix. */
@Entity({ name: 'dead_letters' })
export class DeadLetter {
  @PrimaryColumn('text')
  topic!: string;

  @PrimaryColumn('integer')
  partition!: number;

  @PrimaryColumn('bigint')
  offset!: string;

  @Column('text', { name: 'event_id', nullable: true })
  eventId!: string | null;

  @Column('text')
  reason!: string;

  @Column('jsonb')
  headers!: Record<string, string>;

  @Column('text', { nullable: true })
  value!: string | null;

  @Column('timestamptz', { name: 'failed_at', default: () => 'now()' })
  failedAt!: Date;
}
