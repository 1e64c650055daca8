import type { KafkaRecord } from '#contracts';
import type { ConsumedRecord, ConsumeOptions, MessageBus, RunningConsumer } from './message-bus.port.js';

/**
 * In-process stand-in for Kafka: the quick start and unit tests only (DESIGN.md section 7). One partition per
 * topic, offsets per consumer group, at-least-once like the real thing (a failed handler is retried).
 */
export class InProcessMessageBus implements MessageBus {
  private readonly topics = new Map<string, ConsumedRecord[]>();
  private readonly wakers = new Set<() => void>();
  private closed = false;

  ensureTopics(topics: readonly string[]): Promise<void> {
    for (const topic of topics) if (!this.topics.has(topic)) this.topics.set(topic, []);
    return Promise.resolve();
  }

  publish(batch: readonly { topic: string; records: readonly KafkaRecord[] }[]): Promise<void> {
    for (const { topic, records } of batch) {
      const log = this.topics.get(topic);
      if (!log) return Promise.reject(new Error(`unknown topic ${topic}`));
      for (const r of records) {
        log.push({
          topic,
          partition: 0,
          offset: String(log.length),
          key: Buffer.from(r.key),
          value: r.value,
          headers: { ...r.headers },
        });
      }
    }
    for (const wake of this.wakers) wake();
    return Promise.resolve();
  }

  records(topic: string): readonly ConsumedRecord[] {
    return this.topics.get(topic) ?? [];
  }

  consume(options: ConsumeOptions): Promise<RunningConsumer> {
    let stopped = false;
    let offset = 0;
    let wake: () => void = () => undefined;
    const loop = async (): Promise<void> => {
      while (!stopped && !this.closed) {
        const log = this.topics.get(options.topic) ?? [];
        if (offset < log.length) {
          const batch = log.slice(offset, offset + 500);
          try {
            await options.handleBatch(batch);
            offset += batch.length;
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 100)); // back off, then redeliver
          }
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          this.wakers.add(resolve);
        });
        this.wakers.delete(wake);
      }
    };
    const running = loop();
    return Promise.resolve({
      stop: async () => {
        stopped = true;
        wake();
        await running;
      },
    });
  }

  close(): Promise<void> {
    this.closed = true;
    for (const wake of this.wakers) wake();
    return Promise.resolve();
  }
}
