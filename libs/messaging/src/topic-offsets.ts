import type { Admin } from 'kafkajs';
import type { TopicOffsets } from './message-bus.port.js';

/**
 * A topic's end offsets and the committed offsets on it of every consumer group whose id starts with `groupPrefix`
 * (subscription status, ADR 0032). Only the groups the principal may describe are listed by the broker (the API's
 * principal: DESCRIBE on each force's group prefix); groups that never committed on the topic are left out. A failure
 * drops the admin client (`drop`) so that the next call starts a fresh one.
 */
export async function topicOffsets(
  connect: () => Promise<Admin>,
  drop: () => Promise<void>,
  topic: string,
  groupPrefix: string,
): Promise<TopicOffsets> {
  try {
    const admin = await connect();
    if (!(await admin.listTopics()).includes(topic)) return { endOffsets: [], groups: [] };
    const ends = await admin.fetchTopicOffsets(topic);
    const ids = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((id) => id.startsWith(groupPrefix))
      .sort();
    const groups = [];
    for (const groupId of ids) {
      const fetched = await admin.fetchOffsets({ groupId, topics: [topic] });
      const partitions = fetched.find((t) => t.topic === topic)?.partitions ?? [];
      if (partitions.every((p) => p.offset === '-1')) continue;
      const committed = partitions
        .map((p) => ({ partition: p.partition, offset: p.offset === '-1' ? null : p.offset }))
        .sort((a, b) => a.partition - b.partition);
      groups.push({ groupId, committed });
    }
    return { endOffsets: ends.map((e) => ({ partition: e.partition, offset: e.high })).sort((a, b) => a.partition - b.partition), groups };
  } catch (error) {
    await drop();
    throw error;
  }
}
