import pg from 'pg';
import request from 'supertest';
import { CasesApiModule } from '#cases-api';
import { ENCRYPTED_PREFIX, VictimEventTypes, isEncryptedToken } from '#contracts';
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
    await http.post(`${path}/needs-assessments`).set('Authorization', officer).send({ needs: ['emotional-support'], notes: crafted }).expect(200);

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
    expect((await http.post(`${path}/isva-referral`).set('Authorization', officer).send({ isvaService: 'Avon and Somerset ISVA Service' }).expect(200)).body.isvaReferred).toBe(true);
  });
});
