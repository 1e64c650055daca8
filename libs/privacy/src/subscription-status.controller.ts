import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { forceTopic } from '#contracts';
import type { CheckpointStore, EventStore } from '#event-store';
import { forceGroupPrefix, type MessageBus } from '#messaging';
import {
  Allow,
  BACKBONE_CONFIG,
  CurrentIdentity,
  forceOf,
  LOG_STORE,
  MESSAGE_BUS,
  problem,
  type BackboneConfig,
  type Identity,
} from '#platform';
import { SubscriptionStatusView } from './subscription-status.dto.js';

/** The relay's checkpoint name (RelayService runs the relay under its default name). */
const RELAY_CHECKPOINT = 'relay';

/**
 * Where a force's integration team stands (ADR 0032): how far the relay has published the force's events (the
 * position and time of the last one it published, and how many remain), the end offsets of the force's topic, and
 * the committed offsets on it of each of the force's own consumer groups (`force-<code>.*`), with their lag. Read with
 * the process's Kafka principal, which the generated ACLs let describe the forces' groups; never another force's.
 */
@ApiTags('integration')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@Controller('forces/:force')
export class SubscriptionStatusController {
  constructor(
    @Inject(LOG_STORE) private readonly store: EventStore & CheckpointStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  /** The last event of `force` the relay has published (at or below its checkpoint), if all of the force's are. */
  private async lastPublished(force: string, checkpoint: bigint): Promise<{ position: string; recordedAt: string } | null> {
    const head = await this.store.headPosition(force);
    if (head === 0n || head > checkpoint) return null;
    for await (const event of this.store.readAll({ force, fromPosition: head - 1n, maxCount: 1 })) {
      return { position: event.position.toString(), recordedAt: event.recordedAt };
    }
    return null;
  }

  @Get('subscription-status')
  @Allow('force-integration', 'administrator')
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({
    type: SubscriptionStatusView,
    description: "How far the relay has published the force's events, and each of the force's consumer groups' lag.",
  })
  async status(@CurrentIdentity() identity: Identity): Promise<SubscriptionStatusView> {
    const force = forceOf(identity);
    const topic = forceTopic(force, this.config.topicPrefix);
    const checkpoint = await this.store.loadCheckpoint(RELAY_CHECKPOINT);
    const unpublished = await this.store.countEvents({ force, afterPosition: checkpoint });
    const last = unpublished === 0 ? await this.lastPublished(force, checkpoint) : null;
    let offsets;
    try {
      offsets = await this.bus.offsets?.(topic, forceGroupPrefix(force));
    } catch {
      throw problem(503, 'kafka-unavailable', 'The broker could not be asked for offsets now; retry later');
    }
    const ends = new Map((offsets?.endOffsets ?? []).map((e) => [e.partition, BigInt(e.offset)]));
    return {
      force,
      topic,
      relay: {
        checkpoint: checkpoint.toString(),
        unpublishedEvents: unpublished,
        lastPublished: last,
      },
      kafka: offsets
        ? {
            endOffsets: offsets.endOffsets.map((e) => ({ partition: e.partition, offset: e.offset })),
            groups: offsets.groups.map((g) => {
              const partitions = g.committed.map((c) => {
                const end = ends.get(c.partition) ?? 0n;
                const lag = c.offset === null ? end : end - BigInt(c.offset);
                return { partition: c.partition, committed: c.offset, end: end.toString(), lag: Number(lag > 0n ? lag : 0n) };
              });
              return { groupId: g.groupId, partitions, lag: partitions.reduce((n, p) => n + p.lag, 0) };
            }),
          }
        : null,
    };
  }
}
