import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { generateAuditSigner } from '#audit';
import { AuditApiModule } from '#audit-api';
import { CasesApiModule } from '#cases-api';
import { fixedClock } from '#platform';
import { ProcessManagerModule } from '#process-managers';
import { ProjectorModule } from '#projections-api';
import { ReadModelsApiModule } from '#read-models-api';
import { RelayModule } from '#relay-runtime';
import { SuspectsApiModule } from '#suspects-api';
import { waitFor } from '#testing';
import { VictimsApiModule } from '#victims-api';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

const run = promisify(execFile);
const SCRIPT = 'scripts/prometheus/prometheus.sh';
/** The backbone's clock: the Victims' Code duty opened below is due after it, so open and not overdue. */
const NOW = '2026-11-03T12:00:00Z';
/** The scraper's token (NOM_METRICS_TOKEN). */
const METRICS_TOKEN = 'e2e-prometheus-scraper-token-0123456789abcdef';

interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/**
 * Metrics scraped by a real Prometheus (issue 15, item 2; ADR 0038): the backbone (cases API, relay, projector) on the
 * real PostgreSQL and Kafka serves /metrics behind the scraper's token; Debian's Prometheus, started by
 * scripts/prometheus/prometheus.sh, scrapes it, and its query API answers the relay lag and the HTTP rate per route.
 */
describe('metrics scraped by a real Prometheus', () => {
  let backbone: RunningBackbone;
  let prometheus: string;
  let home: string;

  beforeAll(async () => {
    const signer = generateAuditSigner();
    const modules = [
      CasesApiModule,
      SuspectsApiModule,
      VictimsApiModule,
      RelayModule,
      ProjectorModule,
      ReadModelsApiModule,
      ProcessManagerModule,
    ];
    backbone = await startBackbone(
      ['kent'],
      [...modules, AuditApiModule.forRoot({ publicKey: signer.publicKey, sealing: { signer, intervalMs: 200 } })],
      { NOM_METRICS_TOKEN: METRICS_TOKEN, NOM_METRICS_REFRESH_MS: '200', NOM_TIMER_INTERVAL_MS: '200' },
      { clock: fixedClock(NOW) },
    );
    await backbone.app.listen(0, '127.0.0.1');
    const { port } = (backbone.app.getHttpServer() as import('node:http').Server).address() as { port: number };
    home = mkdtempSync(join(tmpdir(), 'nom-prometheus-'));
    const tokenFile = join(home, 'token');
    writeFileSync(tokenFile, METRICS_TOKEN, { mode: 0o600 });
    const env = { ...process.env, NOM_PROMETHEUS_HOME: home };
    // Fails (never skips) when Prometheus is not installed and cannot be.
    const { stdout } = await run('bash', [SCRIPT, 'start', `127.0.0.1:${port}`, tokenFile], { env, timeout: 600_000 });
    prometheus = /^PROMETHEUS_URL=(\S+)$/m.exec(stdout)![1]!;
  }, 660_000);

  afterAll(async () => {
    await run('bash', [SCRIPT, 'stop'], { env: { ...process.env, NOM_PROMETHEUS_HOME: home } });
    rmSync(home, { recursive: true, force: true });
    await backbone.close();
  });

  const query = async (promql: string): Promise<Sample[]> => {
    const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data: { result: Sample[] } };
    expect(body.status).toBe('success');
    return body.data.result;
  };

  it('answers the relay lag, the events published and the HTTP requests per route template', async () => {
    await request(backbone.app.getHttpServer()).get('/metrics').expect(401);
    const officer = `Bearer ${await backbone.token('kent', ['officer'])}`;
    const created = await request(backbone.app.getHttpServer())
      .post('/forces/kent/cases')
      .set('Authorization', officer)
      .send({ crimeReference: 'KE/26/000901', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    const caseId = created.body.caseId as string;

    // The relay has published the command's event and Prometheus has scraped that: lag 0, published at least 1.
    const published = await waitFor('Prometheus to scrape the relay having published the event', async () => {
      const [sample] = await query('nom_relay_published_events_total');
      return sample && Number(sample.value[1]) >= 1 ? sample : undefined;
    });
    expect(published.metric).toMatchObject({ job: 'nom', __name__: 'nom_relay_published_events_total' });
    const lag = await waitFor('Prometheus to answer the relay lag', async () => {
      const [sample] = await query('nom_relay_lag_events');
      return sample?.value[1] === '0' ? sample : undefined;
    });
    expect(lag.metric).toMatchObject({ __name__: 'nom_relay_lag_events', job: 'nom' });
    // For the record (issue 15's note): the query and Prometheus's answer as it gave it.
    process.stdout.write(`prometheus: nom_relay_lag_events -> ${JSON.stringify(lag)}\n`);

    // HTTP metrics carry the route template, never the raw URL (no case id in any label).
    const routes = await waitFor('Prometheus to have the HTTP request per route', async () => {
      const result = await query('nom_http_request_duration_seconds_count{method="POST"}');
      return result.some((s) => s.metric.route === '/forces/:force/cases' && s.metric.status === '2xx') ? result : undefined;
    });
    const everything = await query('{job="nom"}');
    expect(everything.length).toBeGreaterThan(10);
    expect(JSON.stringify([...everything, ...routes].map((s) => s.metric))).not.toContain(caseId);
    // Runtime metrics are there too.
    expect((await query('nom_nodejs_eventloop_lag_seconds')).length).toBe(1);
  });

  it("answers append latency and conflicts, the relay lag in seconds, Victims' Code duties, Kafka consumer lag and the audit seals", async () => {
    const http = request(backbone.app.getHttpServer());
    const officer = `Bearer ${await backbone.token('kent', ['officer'])}`;
    const created = await http
      .post('/forces/kent/cases')
      .set('Authorization', officer)
      .send({ crimeReference: 'KE/26/000902', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    const caseId = created.body.caseId as string;
    await http
      .post(`/forces/kent/cases/${caseId}/victims`)
      .set('Authorization', officer)
      .send({ offence: 'rape-of-female-16-plus', channel: 'in-person' })
      .expect(201);
    const suspect = await http
      .post('/forces/kent/suspects')
      .set('Authorization', officer)
      .send({ caseId, name: 'Daniel Marsh', dateOfBirth: '1988-04-17' })
      .expect(201);
    const path = `/forces/kent/suspects/${suspect.body.suspectId as string}`;
    // A stale If-Match is a conflict, counted; the arrest then opens a Victims' Code update duty (a timer).
    const arrest = { arrestedAt: '2026-11-03T09:00:00Z', custodyClockStartedAt: '2026-11-03T09:30:00Z' };
    await http.post(`${path}/arrest`).set('Authorization', officer).set('If-Match', '"7"').send(arrest).expect(409);
    await http.post(`${path}/arrest`).set('Authorization', officer).set('If-Match', '"0"').send(arrest).expect(200);

    const value = async (promql: string, wanted: (v: number) => boolean): Promise<number> =>
      waitFor(`Prometheus to answer ${promql}`, async () => {
        const [sample] = await query(promql);
        return sample && wanted(Number(sample.value[1])) ? Number(sample.value[1]) : undefined;
      });
    expect(await value('sum(nom_event_store_append_duration_seconds_count{outcome="ok"})', (v) => v >= 4)).toBeGreaterThanOrEqual(4);
    expect(await value('sum(nom_event_store_append_conflicts_total{cause="if-match"})', (v) => v >= 1)).toBe(1);
    expect(await value('nom_relay_lag_seconds', (v) => v === 0)).toBe(0);
    expect(await value('nom_victims_code_duties_open{force="kent"}', (v) => v === 1)).toBe(1);
    expect(await value('nom_victims_code_duties_overdue{force="kent"}', (v) => v === 0)).toBe(0);
    expect(await value('nom_victims_code_duties_opened_total{force="kent"}', (v) => v === 1)).toBe(1);
    expect(await value('nom_kafka_consumer_lag_records{force="kent"}', (v) => v === 0)).toBe(0);
    // The sealer has signed a checkpoint of the event log: its time is what the seal-age alert reads.
    const sealed = await value('nom_sealer_last_seal_timestamp_seconds{log="event-log"}', (v) => v > 0);
    expect(sealed).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z') / 1000);

    // Verify now: for the national team, never a force's caller; a failure would count in nom_audit_verify_failures_total.
    await http.post('/national/audit/verifications').set('Authorization', officer).expect(403);
    await http
      .post('/national/audit/verifications')
      .set('Authorization', `Bearer ${await backbone.token('kent', ['national-auditor'])}`)
      .expect(403);
    const national = `Bearer ${await backbone.token('national', ['national-team'])}`;
    const verified = await http.post('/national/audit/verifications').set('Authorization', national).expect(200);
    expect(verified.body).toMatchObject({
      intact: true,
      logs: [
        { log: 'event-log', intact: true, finding: null },
        { log: 'access-log', intact: true, finding: null },
      ],
    });
    expect(await value('nom_audit_last_verify_timestamp_seconds{log="event-log",intact="true"}', (v) => v > 0)).toBe(
      Date.parse(NOW) / 1000,
    );
    expect(await query('nom_audit_verify_failures_total')).toEqual([]);
  });
});
