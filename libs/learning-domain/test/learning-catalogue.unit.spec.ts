import { randomUUID } from 'node:crypto';
import { catalogueEntry, EVENT_CATALOGUE, LEARNING_EVENTS, LearningEventTypes, validateEvent, type NewEvent } from '#contracts';
import { testMetadata } from '#testing';

// National events (the operating model's versions) carry metadata.force `national`; the rest a force code.
const asEvent = (type: string, data: object): NewEvent => {
  const scope = catalogueEntry(type)?.scope;
  return { id: randomUUID(), type, data, metadata: scope ? testMetadata('wiltshire', { force: scope }) : testMetadata('wiltshire') };
};

describe('learning event catalogue', () => {
  it('has exactly one entry per learning event type, in the national catalogue', () => {
    expect(LEARNING_EVENTS.map((e) => e.type).sort()).toEqual(Object.values(LearningEventTypes).sort());
    for (const entry of LEARNING_EVENTS) {
      expect(entry.context).toBe('learning');
      expect(EVENT_CATALOGUE).toContain(entry);
    }
  });

  it.each(LEARNING_EVENTS.map((e) => [e.type, e] as const))('%s: the example validates against its own schema', (type, entry) => {
    expect(validateEvent(asEvent(type, entry.example))).toEqual([]);
  });

  it.each(LEARNING_EVENTS.map((e) => [e.type, e] as const))('%s: the schema refuses fields it does not declare', (type, entry) => {
    expect(validateEvent(asEvent(type, { ...entry.example, notes: 'free text' }))).toEqual([
      { field: '/data/notes', reason: 'is not allowed' },
    ]);
  });

  it('declares the wellbeing outcome personal and holds no free-text notes', () => {
    const wellbeing = LEARNING_EVENTS.find((e) => e.type === LearningEventTypes.WellbeingCheckInHeld);
    expect(wellbeing?.personalFields).toEqual(['/outcome']);
    expect(Object.keys(wellbeing?.example ?? {})).not.toContain('notes');
  });

  it('declares personal fields that exist in the schema', () => {
    for (const entry of LEARNING_EVENTS) {
      const properties = (entry.schema as { properties: Record<string, unknown> }).properties;
      for (const pointer of entry.personalFields) expect(Object.keys(properties)).toContain(pointer.slice(1));
    }
  });

  it('refuses a caseload with a negative count and names the field', () => {
    const example = LEARNING_EVENTS.find((e) => e.type === LearningEventTypes.CaseloadRecorded)?.example ?? {};
    expect(validateEvent(asEvent(LearningEventTypes.CaseloadRecorded, { ...example, openCases: -1 }))).toEqual([
      { field: '/data/openCases', reason: 'must be >= 0' },
    ]);
  });
});
