import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresAccessLog, type AccessEntry } from '#audit';
import {
  assertValidEvents,
  NationalEventTypes,
  SuspectEventTypes,
  type ForceCode,
  type NewEvent,
  type RepeatSuspectMatchedData,
} from '#contracts';
import { PostgresEventStore, withValidation, type DeadLetterStore, type EventStore } from '#event-store';
import { requiredEnv, uniqueName } from '#testing';
import { NationalViews } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/**
 * The repeat-suspect index is no lookup service (issue 12, item 5): a match is told to a force only once that
 * force's suspect has reached a lawful trigger (arrest, interview, charge), each disclosure is logged in the
 * Section 62 access log, and an officer's disclosures per day are capped.
 */
describe('repeat-suspect match disclosure', () => {
  let raw: PostgresEventStore;
  let store: EventStore & DeadLetterStore;
  let accessLog: PostgresAccessLog;
  let views: NationalViews;
  const schema = uniqueName('nat_disc');
  const auditSchema = uniqueName('nat_disc_audit');
  const at = (minute: number): string => new Date(Date.UTC(2026, 10, 2, 9, minute)).toISOString();

  const meta = (force: ForceCode, actor: string, occurredAt: string): NewEvent['metadata'] => ({
    force,
    occurredAt,
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor,
    modelVersion: '2026.1',
    classification: 'OFFICIAL-SENSITIVE',
  });
  const identify = async (
    force: ForceCode,
    officer: string,
    pncId: string,
    minute: number,
  ): Promise<{ caseId: string; suspectId: string }> => {
    const ids = { caseId: randomUUID(), suspectId: randomUUID() };
    const data = { ...ids, name: 'Daniel Marsh', dateOfBirth: '1988-04-17', pncId, identifiedAt: at(minute) };
    await store.append(
      `suspect-${ids.suspectId}`,
      [{ id: randomUUID(), type: SuspectEventTypes.SuspectIdentified, data, metadata: meta(force, officer, at(minute)) }],
      'no-stream',
    );
    return ids;
  };
  const arrest = async (force: ForceCode, officer: string, ids: { caseId: string; suspectId: string }, minute: number): Promise<void> => {
    const data = { ...ids, arrestedAt: at(minute), custodyClockStartedAt: at(minute) };
    await store.append(
      `suspect-${ids.suspectId}`,
      [{ id: randomUUID(), type: SuspectEventTypes.SuspectArrested, data, metadata: meta(force, officer, at(minute)) }],
      'any',
    );
  };
  const disclosedTo = async (suspectId: string): Promise<RepeatSuspectMatchedData[]> => {
    const found: RepeatSuspectMatchedData[] = [];
    for await (const event of raw.readAll()) {
      if (event.type !== NationalEventTypes.RepeatSuspectMatched) continue;
      const data = event.data as RepeatSuspectMatchedData;
      if (data.suspect.suspectId === suspectId) found.push(data);
    }
    return found;
  };
  const disclosuresLogged = async (officer: string): Promise<AccessEntry[]> => {
    const page = await accessLog.query({ actor: officer, excludingActor: 'nobody', limit: 100 });
    return page.entries.filter((e) => e.action === 'disclose');
  };

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('nat_disc_es') });
    store = withValidation(raw, assertValidEvents);
    accessLog = await PostgresAccessLog.open(databaseUrl, auditSchema, 2);
    views = await NationalViews.open(store, {
      databaseUrl,
      schema,
      matchingKey: randomBytes(32),
      accessLog,
      disclosuresPerOfficerPerDay: 2,
    });
  });

  afterAll(async () => {
    await views?.close();
    await accessLog?.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const s of [schema, auditSchema, raw.schema]) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await client.end();
    await raw.close();
  });

  it('tells a force nothing about a suspect identified but never arrested, interviewed or charged', async () => {
    const known = await identify('wiltshire', 'WI-0100', '12/345678A', 0);
    await arrest('wiltshire', 'WI-0100', known, 1);
    // A throwaway suspect on one's own case, to ask whether the person is a suspect elsewhere.
    const probe = await identify('avon-somerset', 'AS-0666', '12/345678A', 2);
    await views.catchUp();
    expect(await disclosedTo(probe.suspectId)).toEqual([]);
    expect(await disclosuresLogged('AS-0666')).toEqual([]);
    // Wiltshire's suspect was arrested: Wiltshire is told, and the disclosure is logged against its officer.
    expect(await disclosedTo(known.suspectId)).toHaveLength(1);
    expect(await disclosuresLogged('WI-0100')).toMatchObject([{ status: 200, recordCount: 1 }]);
  });

  it('discloses the match once the suspect is arrested, and logs the disclosure in the Section 62 log first', async () => {
    const known = await identify('durham', 'DU-0100', '13/111111B', 10);
    const mine = await identify('metropolitan', 'MP-0200', '13/111111B', 11);
    await views.catchUp();
    expect(await disclosedTo(mine.suspectId)).toEqual([]);
    await arrest('metropolitan', 'MP-0200', mine, 12);
    await views.catchUp();
    expect(await disclosedTo(mine.suspectId)).toMatchObject([
      { suspect: { force: 'metropolitan', ...mine }, matchedSuspect: { force: 'durham', ...known }, strength: 'definite' },
    ]);
    const logged = await disclosuresLogged('MP-0200');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ status: 200, recordCount: 1, scopeForce: 'metropolitan', purpose: 'investigation' });
    expect(logged[0]!.subjects).toEqual(
      expect.arrayContaining([
        { force: 'metropolitan', type: 'suspect', id: mine.suspectId },
        { force: 'durham', type: 'suspect', id: known.suspectId },
      ]),
    );
    // Durham's suspect never reached a trigger: Durham is told nothing.
    expect(await disclosedTo(known.suspectId)).toEqual([]);
  });

  it("caps an officer's match disclosures per day, refusing the rest with a logged refusal and a count", async () => {
    const officer = 'AS-0300';
    const mine = [];
    for (let i = 0; i < 3; i++) {
      const pnc = `14/22222${i}C`;
      await identify('durham', 'DU-0300', pnc, 20 + i);
      mine.push(await identify('avon-somerset', officer, pnc, 30 + i));
    }
    await views.catchUp();
    for (const [i, ids] of mine.entries()) await arrest('avon-somerset', officer, ids, 40 + i);
    await views.catchUp();
    const told = await Promise.all(mine.map(async (ids) => (await disclosedTo(ids.suspectId)).length));
    expect(told).toEqual([1, 1, 0]);
    expect(views.withheldByLimit).toBe(1);
    const logged = await disclosuresLogged(officer);
    expect(logged.map((e) => e.status)).toEqual([200, 200, 429]);
    // Another officer's trigger on the withheld suspect (an interview) discloses it within that officer's own limit.
    await store.append(
      `suspect-${mine[2]!.suspectId}`,
      [
        {
          id: randomUUID(),
          type: SuspectEventTypes.SuspectInterviewed,
          data: { ...mine[2]!, setting: 'custody', response: 'no-comment', interviewedAt: at(50) },
          metadata: meta('avon-somerset', 'AS-0301', at(50)),
        },
      ],
      'any',
    );
    await views.catchUp();
    expect(await disclosedTo(mine[2]!.suspectId)).toHaveLength(1);
  });

  it("discloses on a supervisor's recorded review of the suspect, logged against the supervisor", async () => {
    await identify('kent', 'KE-0100', '15/333333D', 60);
    const mine = await identify('essex', 'ES-0100', '15/333333D', 61);
    await views.catchUp();
    expect(await disclosedTo(mine.suspectId)).toEqual([]);
    await store.append(
      `suspect-${mine.suspectId}`,
      [
        {
          id: randomUUID(),
          type: SuspectEventTypes.RepeatSuspectCheckReviewed,
          data: { ...mine, reason: 'Same MO as a series in Kent; check before interview.', reviewedAt: at(62) },
          metadata: meta('essex', 'ES-0900', at(62)),
        },
      ],
      'any',
    );
    await views.catchUp();
    expect(await disclosedTo(mine.suspectId)).toHaveLength(1);
    expect(await disclosuresLogged('ES-0900')).toMatchObject([{ status: 200, scopeForce: 'essex' }]);
  });
});
