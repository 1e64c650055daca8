import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toKafkaRecord, type RecordedEvent } from '#contracts';
import { encryptField, newDataKey } from '#event-store';
import { applyEvent, decodeRecord, decryptPersonalField, LocalStore, SUBJECT_ERASED, type Alarm, type ForceEvent } from './consumer.js';

const event = (
  streamId: string,
  revision: number,
  type = 'uk.police.nom.cases.crime-recorded.v1',
  data: unknown = { x: revision },
): ForceEvent => ({
  id: randomUUID(),
  type,
  source: '/uk/police/nom/forces/kent',
  streamId,
  revision,
  position: String(100 + revision),
  time: '2026-11-28T09:00:00.000Z',
  force: 'kent',
  data,
});

describe('example force consumer (pure parts)', () => {
  it("decodes the backbone's CloudEvents binary-mode record", () => {
    const recorded: RecordedEvent = {
      id: randomUUID(),
      type: 'uk.police.nom.cases.crime-recorded.v1',
      streamId: 'case-1',
      revision: 3n,
      position: 9007199254740993n,
      recordedAt: '2026-11-28T09:00:00.000Z',
      data: { a: 1 },
      metadata: {
        force: 'kent',
        occurredAt: '2026-11-28T08:00:00.000Z',
        correlationId: 'c',
        causationId: 'c',
        actor: 'KE-1',
        modelVersion: '1',
        classification: 'OFFICIAL-SENSITIVE',
      },
    };
    const record = toKafkaRecord(recorded);
    const decoded = decodeRecord({ value: record.value, headers: record.headers });
    expect(decoded).toEqual({
      id: recorded.id,
      type: recorded.type,
      source: '/uk/police/nom/forces/kent',
      streamId: 'case-1',
      revision: 3,
      position: '9007199254740993',
      time: recorded.recordedAt,
      force: 'kent',
      data: { a: 1 },
    });
    expect(() => decodeRecord({ value: record.value, headers: { ...record.headers, ce_specversion: '0.3' } })).toThrow('ce_specversion');
  });

  it('stores each revision once, drops redeliveries and raises an alarm on a gap', () => {
    const store = new LocalStore();
    const alarms: Alarm[] = [];
    const first = event('case-1', 0);
    expect(applyEvent(store, first, (a) => alarms.push(a))).toBe('stored');
    expect(applyEvent(store, event('case-1', 1), (a) => alarms.push(a))).toBe('stored');
    expect(applyEvent(store, first, (a) => alarms.push(a))).toBe('duplicate');
    expect(applyEvent(store, { ...event('case-1', 1) }, (a) => alarms.push(a))).toBe('duplicate');
    expect(alarms).toEqual([]);
    expect(applyEvent(store, event('case-1', 3), (a) => alarms.push(a))).toBe('gap');
    expect(alarms).toEqual([expect.objectContaining({ kind: 'gap', streamId: 'case-1', expected: 2, got: 3 })]);
    expect(applyEvent(store, event('case-2', 1), (a) => alarms.push(a))).toBe('gap');
    expect(store.events()).toHaveLength(4);
  });

  it("deletes its copy of an erased subject's data, now and for later events of the stream", () => {
    const store = new LocalStore();
    applyEvent(store, event('victim-1', 0, 'uk.police.nom.victims.victim-recorded.v1', { name: 'nom-enc:v1:abc' }));
    applyEvent(store, event('case-1', 0));
    applyEvent(store, event('privacy-erasure-1', 0, SUBJECT_ERASED, { subjectId: '1', keysDestroyed: ['victim-1'] }));
    applyEvent(store, event('victim-1', 1, 'uk.police.nom.victims.victim-recorded.v1', { name: 'nom-enc:v1:def' }));
    const byStream = (s: string): unknown[] =>
      store
        .events()
        .filter((e) => e.streamId === s)
        .map((e) => e.data);
    expect(byStream('victim-1')).toEqual([null, null]);
    expect(byStream('case-1')).toEqual([{ x: 0 }]);
  });

  it('keeps its store in a file across restarts', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'consumer-')), 'store.json');
    const store = new LocalStore(file);
    expect(store.isEmpty()).toBe(true);
    const first = event('case-1', 0);
    applyEvent(store, first);
    store.save();
    const reopened = new LocalStore(file);
    expect(reopened.isEmpty()).toBe(false);
    expect(applyEvent(reopened, first)).toBe('duplicate');
    expect(reopened.events().map((e) => e.id)).toEqual([first.id]);
  });

  it('decrypts a personal field with the subject key, bound to its event and pointer', () => {
    const key = newDataKey();
    const id = randomUUID();
    const token = encryptField(key, id, '/safeContact/name', 'Zephyrine');
    expect(decryptPersonalField(key, id, '/safeContact/name', token)).toBe('Zephyrine');
    expect(() => decryptPersonalField(key, randomUUID(), '/safeContact/name', token)).toThrow();
    expect(() => decryptPersonalField(key, id, '/safeContact/phone', token)).toThrow();
    expect(() => decryptPersonalField(newDataKey(), id, '/safeContact/name', token)).toThrow();
  });
});
