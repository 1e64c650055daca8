import fc from 'fast-check';
import { fuzzParameters, nastyJson, nastyString, replayHint } from '#testing';
import {
  CaseEventTypes,
  fromKafkaRecord,
  missingCloudEventHeaders,
  toKafkaRecord,
  UndecodableRecordError,
  type RecordedEvent,
} from '#contracts';

/**
 * The fuzzing tier (issue 11, item 4) over the CloudEvents decoder every Kafka consumer uses: whatever a topic
 * holds (a record written by another producer, a truncated value, headers garbled or repeated), `fromKafkaRecord`
 * either decodes an event or throws its own `UndecodableRecordError`, which the consumer dead-letters; never a
 * TypeError or RangeError that would stop the reader. And what the relay encodes decodes to the same event.
 * Seed and runs: FUZZ_SEED, FUZZ_RUNS, FUZZ_PATH (libs/testing/src/fuzz.ts).
 */

const INT64_MAX = 2n ** 63n - 1n;

type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;
type RawRecord = { key: Buffer | string | null; value: Buffer | null; headers?: RawHeaders };

/** The headers the relay writes (toKafkaRecord), so mutated records get past the first checks. */
const CE_HEADERS = [
  'ce_specversion',
  'ce_id',
  'ce_source',
  'ce_type',
  'ce_time',
  'ce_subject',
  'ce_dataschema',
  'content-type',
  'ce_nomforce',
  'ce_nomstreamrevision',
  'ce_nomposition',
  'ce_nomcorrelationid',
  'ce_nomcausationid',
  'ce_nomactor',
  'ce_nommodelversion',
  'ce_nomclassification',
  'ce_nomoccurredat',
] as const;

/** Well-formed Unicode without NUL: what a Kafka header (bytes, UTF-8) can carry both ways. */
const headerText = (): fc.Arbitrary<string> =>
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\u0000'));
const instant = (): fc.Arbitrary<string> =>
  fc
    .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString());
const int64 = (): fc.Arbitrary<bigint> => fc.bigInt({ min: 0n, max: 2n ** 63n - 1n });

/** Any event the store could hold: every attribute drawn, the data any JSON value. */
const recordedEvent = (): fc.Arbitrary<RecordedEvent> =>
  fc.record({
    id: fc.uuid(),
    type: fc.oneof(fc.constantFrom(...Object.values(CaseEventTypes)), headerText()),
    streamId: headerText(),
    revision: int64(),
    position: int64(),
    recordedAt: instant(),
    data: nastyJson(4),
    metadata: fc.record({
      force: fc.oneof(fc.constantFrom('avon-somerset', 'wiltshire', 'national'), headerText()),
      occurredAt: instant(),
      correlationId: fc.uuid(),
      causationId: fc.uuid(),
      actor: headerText(),
      modelVersion: fc.constantFrom('2026.1', '2027.1'),
      classification: fc.constantFrom('OFFICIAL' as const, 'OFFICIAL-SENSITIVE' as const),
    }),
  });

/** A header as kafkajs hands it over: a Buffer (the usual), a string, several values, none. */
const headerValue = (): fc.Arbitrary<Buffer | string | (Buffer | string)[] | undefined> => {
  const one = fc.oneof(
    nastyString(),
    fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
    fc.constantFrom('1.0', '0', '-1', '18446744073709551616', '9223372036854775808', '9999999999999999999', 'OFFICIAL'),
  );
  return fc.oneof(one, fc.array(one, { maxLength: 3 }), fc.constant(undefined));
};

/** Bytes a value might hold: any, JSON-ish text cut short, any JSON, deeply nested arrays. */
const valueBytes = (): fc.Arbitrary<Buffer | null> =>
  fc.oneof(
    fc.constant(null),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    nastyJson(4).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
    fc.tuple(nastyJson(3), fc.nat()).map(([v, cut]) => {
      const text = JSON.stringify(v) ?? '';
      return Buffer.from(text.slice(0, cut % (text.length + 1)));
    }),
    fc.integer({ min: 1, max: 200_000 }).map((depth) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
  );

/** A relay-encoded record with some headers replaced, removed or repeated, and its value maybe replaced. */
const mutatedRecord = (): fc.Arbitrary<RawRecord> =>
  fc
    .tuple(
      recordedEvent(),
      fc.dictionary(fc.constantFrom(...CE_HEADERS), headerValue(), { minKeys: 1, maxKeys: 4 }),
      fc.option(valueBytes(), { nil: undefined }),
      fc.boolean(),
    )
    .map(([event, changed, value, asBuffers]) => {
      const record = toKafkaRecord(event);
      const headers: RawHeaders = Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, asBuffers ? Buffer.from(v) : v]));
      for (const [name, v] of Object.entries(changed)) headers[name] = v;
      return { key: record.key, value: value === undefined ? record.value : value, headers };
    });

/** Anything at all: any header names (prototype keys among them) and values, any key and value bytes. */
const anyRecord = (): fc.Arbitrary<RawRecord> =>
  fc.record(
    {
      key: fc.oneof(
        fc.constant(null),
        nastyString(),
        fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)),
      ),
      value: valueBytes(),
      headers: fc.dictionary(
        fc.oneof(fc.constantFrom(...CE_HEADERS, '__proto__', 'constructor', 'toString'), fc.string({ maxLength: 12 })),
        headerValue(),
        { maxKeys: 20 },
      ),
    },
    { requiredKeys: ['key', 'value'] },
  );

/** The decoder's contract on one record: an event, or its own typed error; anything else is a finding. */
function decodesOrRefuses(record: RawRecord): boolean {
  try {
    const event = fromKafkaRecord(record);
    // Revision and position are what every reader checkpoints, in PostgreSQL bigint columns: beyond them, a
    // decoded record would fail each reader's checkpoint write instead of being dead-lettered here.
    return typeof event.id === 'string' && typeof event.type === 'string' && event.revision <= INT64_MAX && event.position <= INT64_MAX;
  } catch (error) {
    if (error instanceof UndecodableRecordError) return true;
    throw error;
  }
}

/** fast-check's report of the first counterexample (seed, path, the shrunk input), or undefined when none was found. */
function counterexample<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => boolean, defaultRuns: number): string | undefined {
  const details = fc.check(fc.property(arbitrary, predicate), fuzzParameters(defaultRuns));
  return details.failed ? `${fc.defaultReportMessage(details)}\n${replayHint(details)}` : undefined;
}

const sample: RecordedEvent = {
  id: '0b8f5c52-6f2a-4d43-9a39-5d1e1f0b7c11',
  type: CaseEventTypes.InvestigationOpened,
  streamId: 'case-1',
  revision: 3n,
  position: 9n,
  recordedAt: '2026-11-03T09:00:01.000Z',
  data: { openedAt: '2026-11-03T09:00:00.000Z' },
  metadata: {
    force: 'avon-somerset',
    occurredAt: '2026-11-03T09:00:00.000Z',
    correlationId: '1c1e1f0b-0000-4000-8000-000000000001',
    causationId: '1c1e1f0b-0000-4000-8000-000000000001',
    actor: 'AS-4471',
    modelVersion: '2026.1',
    classification: 'OFFICIAL-SENSITIVE',
  },
};

describe(fromKafkaRecord.name, () => {
  it('decodes or refuses with UndecodableRecordError any record, however garbled (relay-encoded records mutated)', () => {
    expect(counterexample(mutatedRecord(), decodesOrRefuses, 2000)).toBeUndefined();
  });

  it('decodes or refuses with UndecodableRecordError any record at all (any header names, values and bytes)', () => {
    expect(counterexample(anyRecord(), decodesOrRefuses, 2000)).toBeUndefined();
  });

  it('decodes what toKafkaRecord encodes to the same event, headers as Buffers (as kafkajs delivers them) or strings', () => {
    const found = counterexample(
      fc.tuple(recordedEvent(), fc.boolean()),
      ([event, asBuffers]) => {
        const record = toKafkaRecord(event);
        const headers = asBuffers
          ? Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)]))
          : record.headers;
        const decoded = fromKafkaRecord({ key: Buffer.from(record.key), value: record.value, headers });
        // JSON is the wire format: the data comes back as JSON reads it (-0 as 0, no undefined members).
        expect(decoded).toEqual({ ...event, data: JSON.parse(JSON.stringify(event.data)) as unknown });
        return true;
      },
      1000,
    );
    expect(found).toBeUndefined();
  });

  // Found by the fuzzer: 19 digits passed the decoder's check, up to 9 999 999 999 999 999 999, past PostgreSQL's bigint.
  it('refuses a stream revision or global position beyond a signed 64-bit integer', () => {
    const record = toKafkaRecord(sample);
    for (const header of ['ce_nomstreamrevision', 'ce_nomposition']) {
      expect(() =>
        fromKafkaRecord({ key: null, value: record.value, headers: { ...record.headers, [header]: '9223372036854775808' } }),
      ).toThrow(new UndecodableRecordError(`header ${header} is not a non-negative 64-bit integer`));
      expect(
        fromKafkaRecord({ key: null, value: record.value, headers: { ...record.headers, [header]: '9223372036854775807' } }),
      ).toBeDefined();
    }
  });
});

describe(missingCloudEventHeaders.name, () => {
  /** Metadata and event fields a garbled stored event may lack or hold as something else. */
  const FIELDS = ['id', 'type', 'recordedAt', 'streamId'] as const;
  const METADATA = [
    'force',
    'correlationId',
    'causationId',
    'actor',
    'modelVersion',
    'classification',
    'occurredAt',
    'traceparent',
    'tracestate',
  ];

  it('names exactly the headers toKafkaRecord would leave without a string, in its order (so it can stand in for building it)', () => {
    const garbled = fc
      .tuple(
        recordedEvent(),
        fc.dictionary(fc.constantFrom(...FIELDS), fc.constantFrom(undefined, null, 7, {}), { maxKeys: 2 }),
        fc.dictionary(fc.constantFrom(...METADATA), fc.constantFrom(undefined, null, 7, [], 'text'), { maxKeys: 4 }),
      )
      .map(([event, fields, metadata]) => ({ ...event, ...fields, metadata: { ...event.metadata, ...metadata } }));
    const found = counterexample(
      garbled,
      (event) => {
        const headers = toKafkaRecord(event).headers as Record<string, unknown>;
        const unset = Object.keys(headers).filter((name) => typeof headers[name] !== 'string');
        expect(missingCloudEventHeaders(event)).toEqual(unset);
        return true;
      },
      1000,
    );
    expect(found).toBeUndefined();
  });
});
