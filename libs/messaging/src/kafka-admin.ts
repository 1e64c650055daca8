import type { Admin, Kafka } from 'kafkajs';
import { eventTopicConfigEntries } from './topic-policy.js';

/**
 * The bus's admin client, connected on first use and dropped after a failure so that the next call starts a fresh
 * one (after a broker restart, say): topics, metadata and readiness pings.
 */
export class KafkaAdminSession {
  private admin?: Admin;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: { readonly partitions?: number; readonly replicationFactor?: number },
  ) {}

  async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  async drop(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  /** Resolves once the broker answers a metadata request (readiness, ADR 0037). */
  async ping(): Promise<void> {
    try {
      await (await this.connected()).describeCluster();
    } catch (error) {
      await this.drop();
      throw error;
    }
  }

  /** Creates the topics that do not exist yet and waits for their leaders. */
  async ensureTopics(topics: readonly string[]): Promise<void> {
    try {
      await this.createTopics(topics);
    } catch (error) {
      await this.drop();
      throw error;
    }
  }

  private async createTopics(topics: readonly string[]): Promise<void> {
    const admin = await this.connected();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      // Not `waitForLeaders`: on Kafka 4 its metadata check can fail at once with "does not host this
      // topic-partition", which kafkajs does not retry. Create, then wait for every partition's leader below.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: this.options.partitions ?? 6,
          replicationFactor: this.options.replicationFactor ?? 1,
          // Kept for ever, never compacted (ADR 0017); needs no right beyond CREATE.
          configEntries: eventTopicConfigEntries(),
        })),
      });
    }
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const { topics: described } = await admin.fetchTopicMetadata({ topics: [...topics] });
        if (described.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topics have no leaders after 30 s: ${topics.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
