import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { forceTopic, toKafkaRecord, type KafkaRecord, type RecordedEvent } from '#contracts';
import { KafkaMessageBus } from '#messaging';
import { anEvent, testKafka, uniqueName, waitFor } from '#testing';

/** Records as the relay makes them: global positions 1..n, keys spread over the topic's partitions. */
function records(from: number, to: number): KafkaRecord[] {
  return Array.from({ length: to - from + 1 }, (_, i) => {
    const event = anEvent('avon-somerset');
    const recorded: RecordedEvent = {
      ...event,
      streamId: `case-${String((from + i) % 7)}`,
      revision: BigInt(from + i),
      position: BigInt(from + i),
      recordedAt: '2026-11-03T09:00:00.000Z',
    };
    return toKafkaRecord(recorded);
  });
}

/**
 * A producer lost after the broker wrote a batch (its send failed, or its process died) leaves the relay to send the
 * batch again from its checkpoint. A new producer learns what the topic holds first, so nothing lands twice (ADR 0021).
 */
describe(`${KafkaMessageBus.name} publication after a lost producer`, () => {
  const prefix = uniqueName('once');
  const topic = forceTopic('avon-somerset', prefix);
  const kafka = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING });
  const buses: KafkaMessageBus[] = [];
  const bus = (): KafkaMessageBus => {
    const created = new KafkaMessageBus({
      ...testKafka(),
      clientId: `once-${randomUUID()}`,
      partitions: 3,
      tailGroupPrefix: `${prefix}.relay.tail.`,
    });
    buses.push(created);
    return created;
  };

  afterAll(async () => {
    for (const b of buses) await b.close();
  });

  it('publishes each position once when a new producer sends again what an earlier one had published', async () => {
    const first = bus();
    await first.ensureTopics([topic]);
    await first.publish([{ topic, records: records(1, 20) }]);
    await first.close();

    // The relay restarts from an older checkpoint (10): positions 11..20 are sent again, 21..30 are new.
    const second = bus();
    await second.publish([{ topic, records: records(11, 30) }]);

    const positions: number[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('once-watch') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => Promise.resolve(void positions.push(Number(message.headers?.['ce_nomposition']?.toString()))),
    });
    await waitFor('positions 1..30 on the topic', () => new Set(positions).size === 30);
    const admin = kafka.admin();
    await admin.connect();
    const total = (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0);
    await admin.disconnect();
    await consumer.disconnect();
    expect(total).toBe(30);
    expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});
