import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  CaseEventTypes,
  EVENT_CATALOGUE,
  PlatformEventTypes,
  FORCE_CODES,
  LearningEventTypes,
  NATIONAL,
  HOME_OFFICE_OUTCOME_CODES,
  notApplicableOutcome,
  OUTCOME_CODES,
  OUTCOME_TYPES,
  UndecodableRecordError,
  forceTopic,
  fromKafkaRecord,
  nationalTopic,
  outcomeType,
  servedSchema,
  toKafkaRecord,
  topicOf,
  validateEvent,
  type RecordedEvent,
} from '../src/index.js';

const metadata = {
  force: 'wiltshire',
  occurredAt: '2026-11-03T09:00:00.000Z',
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: 'WI-0712',
  modelVersion: '2026.1',
  classification: 'OFFICIAL-SENSITIVE' as const,
};

describe('forces', () => {
  it('are exactly the 43 forces of the list in the repository (libs/contracts/data/forces.csv)', () => {
    const csv = readFileSync(new URL('../data/forces.csv', import.meta.url), 'utf8');
    const codes = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect([...FORCE_CODES].sort()).toEqual(codes.sort());
    expect(FORCE_CODES).toHaveLength(43);
  });
});

describe('outcome codes', () => {
  it('close a RASSO case with the Home Office outcome types 1-18 and 20-22; 19 is known and never applicable', () => {
    expect(OUTCOME_CODES).toEqual([...Array.from({ length: 18 }, (_, i) => i + 1), 20, 21, 22]);
    expect(HOME_OFFICE_OUTCOME_CODES).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(outcomeType(19)).toBeUndefined();
    expect(notApplicableOutcome(19)?.label).toBe('National Fraud Intelligence Bureau filed');
  });

  it('need a named suspect for every outcome but 14 and 18 (and 20, action by another body)', () => {
    expect(OUTCOME_TYPES.filter((o) => !o.needsSuspect).map((o) => o.code)).toEqual([14, 18, 20]);
    expect(outcomeType(16)?.label).toContain('named suspect identified, victim does not support');
    expect(outcomeType(14)?.label).toContain('suspect not identified');
  });
});

describe('event validation', () => {
  const valid = {
    id: randomUUID(),
    type: CaseEventTypes.OutcomeRecorded,
    data: { caseId: randomUUID(), outcomeCode: 14, recordedAt: '2027-01-01T10:00:00Z' },
    metadata,
  };

  it('accepts a valid event', () => {
    expect(validateEvent(valid)).toEqual([]);
  });

  it('names the field and the rule for each problem', () => {
    const violations = validateEvent({
      ...valid,
      id: 'x',
      data: { caseId: valid.data.caseId, outcomeCode: 19 },
      metadata: { ...metadata, force: 'atlantis', classification: 'SECRET' as never },
    });
    expect(violations).toEqual(
      expect.arrayContaining([
        { field: '/id', reason: 'must be a UUID' },
        { field: '/data/outcomeCode', reason: 'must be equal to one of the allowed values' },
        { field: '/data/recordedAt', reason: "must have required property 'recordedAt'" },
        { field: '/metadata/force', reason: 'must be a force code' },
        { field: '/metadata/classification', reason: 'must be OFFICIAL or OFFICIAL-SENSITIVE' },
      ]),
    );
  });
});

describe('national scope', () => {
  const published = {
    id: randomUUID(),
    type: LearningEventTypes.ModelVersionPublished,
    data: {
      version: '2026.1',
      catalogueVersion: '2026.1',
      rules: {
        victimUpdateDeadline: { standardWorkingDays: 5, enhancedWorkingDays: 1 },
        preChargeBail: { initialPeriodMonths: 3, inspectorLimitMonths: 6, superintendentLimitMonths: 9 },
      },
      publishedAt: '2026-07-01T09:00:00Z',
    },
    metadata: { ...metadata, force: NATIONAL },
  };
  const adopted = {
    id: randomUUID(),
    type: LearningEventTypes.ModelVersionAdopted,
    data: { force: 'wiltshire', version: '2026.1', adoptedAt: '2026-09-01T08:00:00Z' },
    metadata,
  };

  it('marks exactly the national operating model and platform events national in the catalogue', () => {
    expect(
      EVENT_CATALOGUE.filter((e) => e.scope === NATIONAL)
        .map((e) => e.type)
        .sort(),
    ).toEqual(
      [
        LearningEventTypes.ModelVersionPublished,
        LearningEventTypes.ModelVersionSuperseded,
        PlatformEventTypes.ForceOnboarded,
        PlatformEventTypes.AuditSealRefused,
      ].sort(),
    );
  });

  it('accepts force national only on national event types, and a force code only on the others', () => {
    expect(validateEvent(published)).toEqual([]);
    expect(validateEvent(adopted)).toEqual([]);
    expect(validateEvent({ ...published, metadata })).toEqual([
      { field: '/metadata/force', reason: `must be national: ${LearningEventTypes.ModelVersionPublished} is a national event` },
    ]);
    expect(validateEvent({ ...adopted, metadata: { ...metadata, force: NATIONAL } })).toEqual([
      { field: '/metadata/force', reason: 'must be a force code' },
    ]);
  });

  it('publishes national events on the national topic, from the national source', () => {
    expect(nationalTopic()).toBe('nom.national.events');
    expect(nationalTopic('test')).toBe('test.national.events');
    expect(topicOf(NATIONAL, 'test')).toBe('test.national.events');
    expect(topicOf('wiltshire', 'test')).toBe('test.force.wiltshire.events');
    const record = toKafkaRecord({
      ...published,
      streamId: 'operating-model',
      revision: 0n,
      position: 1n,
      recordedAt: '2026-07-01T09:00:01.000Z',
    });
    expect(record.headers).toMatchObject({ ce_nomforce: 'national', ce_source: '/uk/police/nom/national' });
  });
});

describe('CloudEvents Kafka binding (binary mode)', () => {
  const event: RecordedEvent = {
    id: randomUUID(),
    type: CaseEventTypes.InvestigationOpened,
    streamId: 'case-1',
    revision: 3n,
    position: 9_007_199_254_740_993n, // beyond 2^53: must survive as an exact integer
    recordedAt: '2026-11-03T09:00:01.000Z',
    data: { caseId: randomUUID(), openedAt: '2026-11-03T09:00:00.000Z' },
    metadata,
  };

  it('round-trips an event through key, value and ce_* headers', () => {
    const record = toKafkaRecord(event);
    expect(record.key).toBe('case-1');
    expect(JSON.parse(record.value.toString())).toEqual(event.data);
    expect(record.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: event.type,
      ce_subject: 'case-1',
      ce_nomposition: '9007199254740993',
    });
    const headers = Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(fromKafkaRecord({ key: Buffer.from(record.key), value: record.value, headers })).toEqual(event);
  });

  it('names in ce_dataschema the URL where the backbone serves the schema of the type and version (ADR 0031)', () => {
    expect(toKafkaRecord(event).headers['ce_dataschema']).toBe(`https://api.nom.police.uk/schemas/${event.type}`);
    expect(toKafkaRecord(event, 'https://api.kent.example/schemas/').headers['ce_dataschema']).toBe(
      `https://api.kent.example/schemas/${event.type}`,
    );
    for (const entry of EVENT_CATALOGUE) {
      expect(servedSchema(entry.type, 'https://x.example/s')).toMatchObject({
        $id: `https://x.example/s/${entry.type}`,
        title: entry.type,
        type: 'object',
      });
    }
    expect(servedSchema('uk.police.nom.cases.crime-recorded.v99')).toBeUndefined();
  });

  it('refuses records it cannot decode, saying why', () => {
    const record = toKafkaRecord(event);
    expect(() => fromKafkaRecord({ key: null, value: Buffer.from('{'), headers: record.headers })).toThrow(
      new UndecodableRecordError('record value is not JSON'),
    );
    const noId = Object.fromEntries(Object.entries(record.headers).filter(([name]) => name !== 'ce_id'));
    expect(() => fromKafkaRecord({ key: null, value: record.value, headers: noId })).toThrow('missing header ce_id');
    expect(() => fromKafkaRecord({ key: null, value: record.value, headers: { ...record.headers, ce_nomstreamrevision: '-1' } })).toThrow(
      'header ce_nomstreamrevision is not a non-negative 64-bit integer',
    );
  });

  it('names one topic per force', () => {
    expect(forceTopic('avon-somerset')).toBe('nom.force.avon-somerset.events');
    expect(forceTopic('wiltshire', 'test')).toBe('test.force.wiltshire.events');
  });
});
