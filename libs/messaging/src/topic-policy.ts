/**
 * The configuration of the event topics (ADR 0017). A force topic is a log, not a table of current state: every
 * event is kept for ever, so an integrator that joins late or loses its database replays the force's whole history
 * from offset 0. Compaction (keyed by stream id) would keep only each stream's last event and destroy that history,
 * so it is never used. Personal fields travel encrypted per data subject (ADR 0011): once a subject is erased its key
 * is destroyed, and the retained ciphertext reads as nothing.
 */
export const EVENT_TOPIC_CONFIG: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'retention.ms': '-1',
  'retention.bytes': '-1',
};

/** The entries of `EVENT_TOPIC_CONFIG` as kafkajs `createTopics`/`alterConfigs` take them. */
export function eventTopicConfigEntries(): { name: string; value: string }[] {
  return Object.entries(EVENT_TOPIC_CONFIG).map(([name, value]) => ({ name, value }));
}

/** The settings of a described topic that differ from the policy (name -> what the broker has), none when compliant. */
export function topicConfigDrift(described: readonly { configName: string; configValue: string | null }[]): Record<string, string | null> {
  const drift: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(EVENT_TOPIC_CONFIG)) {
    const found = described.find((c) => c.configName === name);
    if (found?.configValue !== value) drift[name] = found ? found.configValue : null;
  }
  return drift;
}
