import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { CasesApiModule } from '#cases-api';
import { CaseEventTypes, ENCRYPTED_PREFIX, NATIONAL, VictimEventTypes, isEncryptedToken } from '#contracts';
import { ProjectorModule } from '#projections-api';
import { ReadModelsApiModule } from '#read-models-api';
import { RelayModule } from '#relay-runtime';
import { insertGarbledEvent, testMetadata, waitFor } from '#testing';
import { VictimsApiModule } from '#victims-api';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

/**
 * Issue 11 item 2: a command field that merely looks like ciphertext (`nom-enc:v1:` and 40 `A`s, as an officer
 * typed it) is data like any other: it is encrypted on append, reads back as typed, and the victim's stream
 * stays readable (the next command on it succeeds).
 */
describe('a field that looks like ciphertext (issue 11 item 2)', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let officer: string;
  let db: pg.Client;

  beforeAll(async () => {
    backbone = await startBackbone(['avon-somerset'], [CasesApiModule, VictimsApiModule]);
    http = request(backbone.app.getHttpServer());
    officer = `Bearer ${await backbone.token('avon-somerset', ['officer', 'supervisor'])}`;
    db = new pg.Client({ connectionString: backbone.config.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await backbone.close();
  });

  it('is encrypted like any text, reads back as typed, and leaves the victim stream readable', async () => {
    const crafted = `${ENCRYPTED_PREFIX}${'A'.repeat(40)}`;
    const crime = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', officer)
      .send({ crimeReference: 'AS/26/009911', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    const contact = await http
      .post(`/forces/avon-somerset/cases/${crime.body.caseId as string}/victims`)
      .set('Authorization', officer)
      .send({ offence: 'rape-of-female-16-plus', channel: 'phone' })
      .expect(201);
    const victimId = contact.body.victimId as string;
    const path = `/forces/avon-somerset/victims/${victimId}`;
    await http
      .post(`${path}/needs-assessments`)
      .set('Authorization', officer)
      .send({ needs: ['emotional-support'], notes: crafted })
      .expect(200);

    // Stored: a real token of the cipher, never the text as typed.
    const { rows } = await db.query<{ notes: unknown }>(
      `SELECT data->'notes' AS notes FROM ${backbone.config.eventStoreSchema}.events WHERE type = $1 AND stream_id = $2`,
      [VictimEventTypes.NeedsAssessmentCompleted, `victim-${victimId}`],
    );
    expect(rows).toHaveLength(1);
    expect(isEncryptedToken(rows[0]!.notes)).toBe(true);
    expect(rows[0]!.notes).not.toBe(crafted);
    // Read back (decrypted) as the officer typed it.
    const events = [];
    for await (const event of backbone.infrastructure.store.readStream(`victim-${victimId}`)) events.push(event);
    expect(events.find((e) => e.type === VictimEventTypes.NeedsAssessmentCompleted)?.data).toMatchObject({ notes: crafted });
    // The stream still decides: the next command on the victim reads it back.
    expect(
      (
        await http
          .post(`${path}/isva-referral`)
          .set('Authorization', officer)
          .send({ isvaService: 'Avon and Somerset ISVA Service' })
          .expect(200)
      ).body.isvaReferred,
    ).toBe(true);
  });
});

/**
 * Issue 11 item 2, the other half, in one process as the quick start runs it: a row an operator wrote straight into
 * the event table (metadata naming no force) neither stops the relay nor the national projector, nor takes the
 * process down: both record it, the case recorded after it is projected, and the dead letters are reported in the
 * national lag and the metrics.
 */
/** The scraper's token (NOM_METRICS_TOKEN): /metrics answers nobody else. */
const METRICS_TOKEN = 'e2e-scraper-token-poison-0123456789abcdef';

describe('a garbled row in the event table (issue 11 item 2)', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let db: pg.Client;

  beforeAll(async () => {
    backbone = await startBackbone(['avon-somerset'], [CasesApiModule, RelayModule, ProjectorModule, ReadModelsApiModule], {
      NOM_METRICS_TOKEN: METRICS_TOKEN,
      NOM_METRICS_REFRESH_MS: '200',
    });
    http = request(backbone.app.getHttpServer());
    db = new pg.Client({ connectionString: backbone.config.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await backbone.close();
  });

  it('is passed and reported by every reader in the process, which keeps serving', async () => {
    const officer = `Bearer ${await backbone.token('avon-somerset', ['officer'])}`;
    await insertGarbledEvent(db, backbone.config.eventStoreSchema, {
      type: CaseEventTypes.InvestigationOpened,
      data: { caseId: randomUUID(), openedAt: '2026-11-03T09:00:00.000Z' },
      metadata: { ...testMetadata('avon-somerset'), force: null },
      force: 'avon-somerset',
    });
    const crime = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', officer)
      .send({ crimeReference: 'AS/26/009912', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    await waitFor(
      'the case recorded after the garbled row to be projected',
      async () =>
        (await http.get(`/forces/avon-somerset/case-summaries/${crime.body.caseId as string}`).set('Authorization', officer)).status ===
        200,
      { timeoutMs: 60_000 },
    );
    const national = `Bearer ${await backbone.token(NATIONAL, ['national-team'])}`;
    await waitFor(
      'the national projector to report its dead letter',
      async () => {
        const res = await http.get('/national/projections/lag').set('Authorization', national).expect(200);
        return (res.body as { force: string; deadLetters: number }[]).find((f) => f.force === NATIONAL)?.deadLetters === 1;
      },
      { timeoutMs: 60_000 },
    );
    // Served from memory, refreshed every NOM_METRICS_REFRESH_MS: read until the refresh has seen both letters.
    const relay = 'nom_reader_dead_letters{reader="relay"} 1';
    const nationalProjector = 'nom_reader_dead_letters{reader="national-projector"} 1';
    const metrics = await waitFor('both dead letters in /metrics', async () => {
      const { text } = await http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      return text.includes(relay) && text.includes(nationalProjector) ? text : undefined;
    });
    expect(metrics).toContain(relay);
    expect(metrics).toContain(nationalProjector);
    await http.get('/health').expect(200);
  });
});
