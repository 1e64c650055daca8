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

/**
 * A record or event the projector could not apply: kept with the reason, never silently dropped, retried after a
 * fix. `readModel` null: the record itself is poison (undecodable, another force's, invalid) for every read model;
 * otherwise that read model's build `buildVersion` failed to apply `event` (the other read models applied it).
 */
@Entity({ name: 'dead_letters' })
export class DeadLetter {
  @PrimaryColumn('bigint')
  id!: string;

  @Column('text', { nullable: true })
  topic!: string | null;

  @Column('integer', { nullable: true })
  partition!: number | null;

  @Column('bigint', { nullable: true })
  offset!: string | null;

  @Column('text', { name: 'event_id', nullable: true })
  eventId!: string | null;

  @Column('text')
  reason!: string;

  @Column('jsonb', { nullable: true })
  headers!: Record<string, string> | null;

  @Column('text', { nullable: true })
  value!: string | null;

  @Column('text', { name: 'read_model', nullable: true })
  readModel!: string | null;

  @Column('integer', { name: 'build_version', nullable: true })
  buildVersion!: number | null;

  @Column('text', { name: 'stream_id', nullable: true })
  streamId!: string | null;

  @Column('bigint', { nullable: true })
  revision!: string | null;

  @Column('bigint', { nullable: true })
  position!: string | null;

  /** The decoded event (bigints as decimal strings), for a retry through the current code. */
  @Column('jsonb', { nullable: true })
  event!: Record<string, unknown> | null;

  @Column('integer')
  attempts!: number;

  @Column('timestamptz', { name: 'failed_at', default: () => 'now()' })
  failedAt!: Date;

  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt!: Date | null;
}
