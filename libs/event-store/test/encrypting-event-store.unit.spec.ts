import { randomUUID } from 'node:crypto';
import {
  assertValidEvents,
  catalogueEntry,
  ENCRYPTED_PREFIX,
  ERASED,
  erasedValueFor,
  isEncryptedToken,
  personalFieldsOf,
  SuspectEventTypes,
  upcast,
  validateEvent,
  type NewEvent,
  type RecordedEvent,
} from '#contracts';
import {
  InMemoryEventStore,
  InMemorySubjectKeyStore,
  SubjectErasedError,
  withEncryption,
  withUpcasting,
  withValidation,
  type SubjectKey,
  type SubjectKeyStore,
} from '../src/index.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const meta = {
  force: 'avon-somerset',
  occurredAt: '2026-11-10T10:00:00Z',
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: 'AS-1',
  modelVersion: '2026.1',
  classification: 'OFFICIAL-SENSITIVE' as const,
};

function identified(suspectId: string): NewEvent {
  return {
    id: randomUUID(),
    type: SuspectEventTypes.SuspectIdentified,
    data: { caseId, suspectId, name: 'Daniel Marsh', dateOfBirth: '1988-04-17', pncId: '12/345678A', identifiedAt: '2026-11-10T10:00:00Z' },
    metadata: meta,
  };
}

function bail(suspectId: string): NewEvent {
  return {
    id: randomUUID(),
    type: SuspectEventTypes.PreChargeBailGranted,
    data: {
      ...catalogueEntry(SuspectEventTypes.PreChargeBailGranted)!.example,
      caseId,
      suspectId,
      bailEndsOn: '2027-02-10',
      conditions: ['not to contact Jane Doe', 'curfew at 14 Elm Road'],
    },
    metadata: meta,
  };
}

/** Counts key-store round trips. */
class CountingKeys implements SubjectKeyStore {
  reads: string[][] = [];
  constructor(readonly inner = new InMemorySubjectKeyStore()) {}
  keysForReading(ids: readonly string[]): Promise<ReadonlyMap<string, SubjectKey>> {
    this.reads.push([...ids]);
    return this.inner.keysForReading(ids);
  }
  keysForWriting = (ids: readonly string[]) => this.inner.keysForWriting(ids);
  erase: SubjectKeyStore['erase'] = (ids, record) => this.inner.erase(ids, record);
  close = () => Promise.resolve();
}

const collect = async (events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> => {
  const all: RecordedEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
};

describe('withEncryption: personal fields encrypted per data subject, erasure by key destruction', () => {
  let raw: InMemoryEventStore;
  let keys: CountingKeys;
  let store: InMemoryEventStore;
  const suspectId = randomUUID();
  const stream = `suspect-${suspectId}`;

  beforeEach(async () => {
    raw = new InMemoryEventStore();
    keys = new CountingKeys();
    store = withUpcasting(withValidation(withEncryption(raw, keys, { personalFieldsOf, erasedValueFor }), assertValidEvents), upcast);
    await store.append(stream, [identified(suspectId), bail(suspectId)], 'no-stream');
  });

  it('stores only tokens in the personal fields and reads them back in clear', async () => {
    const stored = await collect(raw.readStream(stream));
    const text = JSON.stringify(stored.map((e) => e.data));
    for (const clear of ['Daniel Marsh', '1988-04-17', '12/345678A', 'Jane Doe', 'Elm Road']) expect(text).not.toContain(clear);
    expect(isEncryptedToken((stored[0]!.data as { name: string }).name)).toBe(true);
    expect(isEncryptedToken((stored[1]!.data as { conditions: unknown }).conditions)).toBe(true);
    // The rest is untouched.
    expect((stored[1]!.data as { bailEndsOn: string }).bailEndsOn).toBe('2027-02-10');

    const read = await collect(store.readStream(stream));
    expect(read.map((e) => e.data)).toEqual([identified(suspectId).data, bail(suspectId).data]);
    expect(keys.reads).toEqual([[stream]]);
  });

  it('encrypts a value that merely looks like a token (issue 11): it reads back as typed, the stream stays readable', async () => {
    const crafted = `${ENCRYPTED_PREFIX}${'A'.repeat(40)}`;
    const other = randomUUID();
    const event = { ...identified(other), data: { ...(identified(other).data as object), name: crafted } };
    await store.append(`suspect-${other}`, [event], 'no-stream');
    const [stored] = await collect(raw.readStream(`suspect-${other}`));
    const token = (stored!.data as { name: string }).name;
    expect(isEncryptedToken(token)).toBe(true);
    expect(token).not.toBe(crafted);
    const [read] = await collect(store.readStream(`suspect-${other}`));
    expect((read!.data as { name: string }).name).toBe(crafted);
  });

  it('validates the clear event before encrypting (an invalid personal field is refused, nothing stored)', async () => {
    const bad = { ...identified(randomUUID()), data: { ...(identified(suspectId).data as object), pncId: 'not a PNC id'.repeat(10) } };
    await expect(store.append(`suspect-${randomUUID()}`, [bad], 'no-stream')).rejects.toThrow(/pncId/);
    expect(await raw.headPosition()).toBe((await collect(raw.readAll())).at(-1)!.position);
  });

  it('after erasure reads show the erased marker in the field type (a list stays a list), the rest intact', async () => {
    await keys.erase([stream], { force: 'avon-somerset', erasedBy: 'AS-ADM1', reason: 'dpa-s47-erasure' });
    const read = await collect(store.readStream(stream));
    expect(read[0]!.data).toMatchObject({
      caseId,
      suspectId,
      name: ERASED,
      dateOfBirth: ERASED,
      pncId: ERASED,
      identifiedAt: '2026-11-10T10:00:00Z',
    });
    expect(read[1]!.data).toMatchObject({ conditions: [ERASED], bailEndsOn: '2027-02-10' });
    expect(JSON.stringify(read.map((e) => e.data))).not.toContain('Daniel Marsh');
  });

  it('refuses new personal data for an erased subject, but takes its non-personal events', async () => {
    await keys.erase([stream], { force: 'avon-somerset', erasedBy: 'AS-ADM1', reason: 'dpa-s47-erasure' });
    await expect(store.append(stream, [bail(suspectId)], 'any')).rejects.toThrow(SubjectErasedError);
    const rui: NewEvent = {
      id: randomUUID(),
      type: SuspectEventTypes.ReleasedUnderInvestigation,
      data: { caseId, suspectId, releasedAt: '2026-11-12T10:00:00Z' },
      metadata: meta,
    };
    await expect(store.append(stream, [rui], 'any')).resolves.toMatchObject({ idempotentReplay: false });
  });

  it('fetches the keys of a whole read batch in one call, never caching them across calls', async () => {
    const other = randomUUID();
    await store.append(`suspect-${other}`, [identified(other)], 'no-stream');
    keys.reads = [];
    await collect(store.readAll({ batchSize: 100 }));
    expect(keys.reads).toEqual([[stream, `suspect-${other}`]]);
    await collect(store.readAll({ batchSize: 100 }));
    expect(keys.reads).toHaveLength(2);
  });

  it('the stored (encrypted or erased) form passes validation in protected mode only', async () => {
    const [storedIdentified] = await collect(raw.readStream(stream));
    expect(validateEvent(storedIdentified!)).not.toEqual([]);
    expect(validateEvent(storedIdentified!, { personalFieldsProtected: true })).toEqual([]);
    await keys.erase([stream], { force: 'avon-somerset', erasedBy: 'AS-ADM1', reason: 'dpa-s47-erasure' });
    const [erased, erasedBail] = await collect(store.readStream(stream));
    expect(validateEvent(erased!, { personalFieldsProtected: true })).toEqual([]);
    expect(validateEvent(erasedBail!, { personalFieldsProtected: true })).toEqual([]);
    // Protected mode still checks everything else.
    const broken = { ...storedIdentified!, data: { ...(storedIdentified!.data as object), caseId: 'nope' } };
    expect(validateEvent(broken, { personalFieldsProtected: true }).map((v) => v.field)).toEqual(['/data/caseId']);
  });
});
