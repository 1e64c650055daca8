import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per case in a force's own schema: the "cases" read model (list + detail). */
@Entity({ name: 'case_summaries' })
export class CaseSummary {
  @PrimaryColumn('uuid', { name: 'case_id' })
  caseId!: string;

  @Column('text', { name: 'stream_id' })
  streamId!: string;

  @Column('text', { name: 'crime_reference', nullable: true })
  crimeReference!: string | null;

  @Column('text', { nullable: true })
  offence!: string | null;

  @Column('text')
  status!: 'reported' | 'recorded' | 'under-investigation' | 'closed' | 'cancelled';

  @Column('text', { name: 'investigator_id', nullable: true })
  investigatorId!: string | null;

  @Column('integer', { name: 'outcome_code', nullable: true })
  outcomeCode!: number | null;

  @Column('timestamptz', { name: 'reported_at', nullable: true })
  reportedAt!: Date | null;

  @Column('timestamptz', { name: 'recorded_at', nullable: true })
  recordedAt!: Date | null;

  @Column('timestamptz', { name: 'opened_at', nullable: true })
  openedAt!: Date | null;

  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt!: Date | null;

  @Column('bigint', { name: 'last_revision' })
  lastRevision!: string;

  @Column('jsonb')
  timeline!: { revision: string; type: string; occurredAt: string }[];
}
