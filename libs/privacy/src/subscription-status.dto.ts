import { ApiProperty } from '@nestjs/swagger';

export class PublishedEventView {
  @ApiProperty({ description: "Global position (ce_nomposition) of the force's last published event, decimal." }) position!: string;
  @ApiProperty({ description: 'When the event store committed it (ce_time).' }) recordedAt!: string;
}

export class RelayProgressView {
  @ApiProperty({ description: "The relay's checkpoint: every event of the log at or below this position is published." })
  checkpoint!: string;
  @ApiProperty({ description: "The force's events committed after the checkpoint, not yet on the topic." }) unpublishedEvents!: number;
  @ApiProperty({
    type: PublishedEventView,
    nullable: true,
    description: "The force's last event, once all of them are published (null while some are not, or none exist).",
  })
  lastPublished!: PublishedEventView | null;
}

export class PartitionOffsetView {
  @ApiProperty() partition!: number;
  @ApiProperty({ description: 'Offset of the next record to be written (decimal).' }) offset!: string;
}

export class GroupPartitionView {
  @ApiProperty() partition!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Committed offset (the next record the group reads); null if none.' })
  committed!: string | null;
  @ApiProperty({ description: 'End offset of the partition.' }) end!: string;
  @ApiProperty({ description: 'Records the group has still to commit on this partition.' }) lag!: number;
}

export class GroupStatusView {
  @ApiProperty({ description: 'A consumer group of the force (force-<code>.<app>).' }) groupId!: string;
  @ApiProperty({ type: [GroupPartitionView] }) partitions!: GroupPartitionView[];
  @ApiProperty({ description: "Sum of the partitions' lag." }) lag!: number;
}

export class KafkaStatusView {
  @ApiProperty({ type: [PartitionOffsetView] }) endOffsets!: PartitionOffsetView[];
  @ApiProperty({ type: [GroupStatusView] }) groups!: GroupStatusView[];
}

/** GET /forces/{force}/subscription-status (ADR 0032). */
export class SubscriptionStatusView {
  @ApiProperty() force!: string;
  @ApiProperty({ description: "The force's topic." }) topic!: string;
  @ApiProperty({ type: RelayProgressView }) relay!: RelayProgressView;
  @ApiProperty({ type: KafkaStatusView, nullable: true, description: "Null without a broker (the quick start's in-process bus)." })
  kafka!: KafkaStatusView | null;
}
