import { EVENT_TOPIC_CONFIG, eventTopicConfigEntries, topicConfigDrift } from '#messaging';

describe('event topic policy (ADR 0017)', () => {
  it('keeps every event for ever and never compacts', () => {
    expect(EVENT_TOPIC_CONFIG).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' });
    expect(eventTopicConfigEntries()).toEqual([
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: '-1' },
      { name: 'retention.bytes', value: '-1' },
    ]);
  });

  it('reports the settings of a described topic that differ from the policy', () => {
    const compliant = eventTopicConfigEntries().map(({ name, value }) => ({ configName: name, configValue: value }));
    expect(topicConfigDrift([...compliant, { configName: 'segment.bytes', configValue: '1073741824' }])).toEqual({});
    expect(
      topicConfigDrift([
        { configName: 'cleanup.policy', configValue: 'compact' },
        { configName: 'retention.ms', configValue: '604800000' },
      ]),
    ).toEqual({ 'cleanup.policy': 'compact', 'retention.ms': '604800000', 'retention.bytes': null });
  });
});
