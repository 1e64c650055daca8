import type { RecordedEvent } from '#contracts';
import { canonicalEvent, canonicalJson } from '../src/index.js';

const event: RecordedEvent = {
  id: '0b7c6a52-6d4e-4a4f-9a53-2d0f2f1f7a10',
  type: 'cases.investigation-opened',
  streamId: 'case-1',
  revision: 0n,
  position: 123_456_789_012n,
  recordedAt: '2026-11-28T07:00:00.123Z',
  data: { caseId: 'c1', openedAt: '2026-11-03T09:00:00.000Z' },
  metadata: { force: 'avon-somerset', actor: 'AS-4471' } as unknown as RecordedEvent['metadata'],
};

describe('canonicalJson', () => {
  it('sorts object keys at every depth, so key order never changes the bytes', () => {
    const a = { b: 1, a: { z: [1, { y: 2, x: 1 }], c: 'x' } };
    const b = { a: { c: 'x', z: [1, { x: 1, y: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","z":[1,{"x":1,"y":2}]},"b":1}');
  });

  it('serialises strings and numbers as JSON does, without whitespace', () => {
    expect(canonicalJson({ s: 'é"\n\u0001', n: 1e21, f: 0.1, neg: -0, t: true, nil: null })).toBe(
      '{"f":0.1,"n":1e+21,"neg":0,"nil":null,"s":"é\\"\\n\\u0001","t":true}',
    );
  });

  it('drops undefined members like JSON, and keeps array order', () => {
    expect(canonicalJson({ a: undefined, b: [3, 1, 2] })).toBe('{"b":[3,1,2]}');
  });

  it('refuses what is not plain JSON, so a value never serialises two ways', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ n: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson({ b: 1n })).toThrow(TypeError);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(TypeError);
    expect(() => canonicalJson(new Map())).toThrow(TypeError);
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
  });
});

describe('canonicalEvent', () => {
  it('covers position, id, stream, revision, type, data, metadata and recorded-at, 64-bit numbers as strings', () => {
    expect(canonicalEvent(event)).toBe(
      '{"data":{"caseId":"c1","openedAt":"2026-11-03T09:00:00.000Z"},"eventId":"0b7c6a52-6d4e-4a4f-9a53-2d0f2f1f7a10",' +
        '"metadata":{"actor":"AS-4471","force":"avon-somerset"},"position":"123456789012","recordedAt":"2026-11-28T07:00:00.123Z",' +
        '"revision":"0","streamId":"case-1","type":"cases.investigation-opened"}',
    );
  });

  it('is stable across the key order of data and metadata (jsonb does not keep it)', () => {
    const reordered: RecordedEvent = {
      ...event,
      data: { openedAt: '2026-11-03T09:00:00.000Z', caseId: 'c1' },
      metadata: { actor: 'AS-4471', force: 'avon-somerset' } as unknown as RecordedEvent['metadata'],
    };
    expect(canonicalEvent(reordered)).toBe(canonicalEvent(event));
  });
});
