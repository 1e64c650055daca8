import type { DataSource, EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import type { UndecodableEventError } from '#event-store';
import type { ConsumedRecord } from '#messaging';
import { eventToJson } from '../builds.js';

/** Writing a force's dead letters (`<schema>.dead_letters`, ADR 0022): what the live path and a rebuild could not take. */

const headersOf = (record: ConsumedRecord): Record<string, string> =>
  Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, v?.toString() ?? '']));

/** Records no read model can take (undecodable, another force's, invalid): one dead letter each, for every read model. */
export async function deadLetterRecords(
  em: EntityManager,
  schema: string,
  poison: readonly { readonly record: ConsumedRecord; readonly reason: string; readonly event?: RecordedEvent }[],
): Promise<void> {
  for (const { record, reason, event } of poison) {
    const headers = headersOf(record);
    await em.query(
      `INSERT INTO ${schema}.dead_letters (topic, partition, "offset", event_id, reason, headers, value, stream_id, revision, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [
        record.topic,
        record.partition,
        record.offset,
        headers['ce_id'] ?? null,
        reason,
        JSON.stringify(headers),
        record.value?.toString('utf8') ?? null,
        event?.streamId ?? null,
        event?.revision.toString() ?? null,
        event?.position.toString() ?? null,
      ],
    );
  }
}

/** An event of the history a rebuild could not read from the store, recorded against the build it was rebuilding. */
export async function deadLetterUndecodable(
  dataSource: DataSource,
  schema: string,
  readModel: string,
  version: number,
  failure: UndecodableEventError,
): Promise<void> {
  await dataSource.query(
    `INSERT INTO ${schema}.dead_letters (event_id, reason, read_model, build_version, stream_id, revision, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [
      failure.eventId,
      `${failure.stage}: ${failure.reason}`,
      readModel,
      version,
      failure.streamId,
      failure.revision.toString(),
      failure.position.toString(),
    ],
  );
}

/** An event one read model's `apply` refused (the others took it): recorded against that read model's build. */
export async function deadLetterEvent(
  em: EntityManager,
  schema: string,
  readModel: string,
  version: number,
  one: { readonly event: RecordedEvent; readonly record?: ConsumedRecord },
  reason: string,
): Promise<void> {
  const { event, record } = one;
  const headers = record ? headersOf(record) : null;
  await em.query(
    `INSERT INTO ${schema}.dead_letters
       (topic, partition, "offset", event_id, reason, headers, value, read_model, build_version, stream_id, revision, position, event)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT DO NOTHING`,
    [
      record?.topic ?? null,
      record?.partition ?? null,
      record?.offset ?? null,
      event.id,
      reason,
      headers ? JSON.stringify(headers) : null,
      record?.value?.toString('utf8') ?? null,
      readModel,
      version,
      event.streamId,
      event.revision.toString(),
      event.position.toString(),
      JSON.stringify(eventToJson(event)),
    ],
  );
}
