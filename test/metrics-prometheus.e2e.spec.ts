import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { waitFor } from '#testing';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

const run = promisify(execFile);
const SCRIPT = 'scripts/prometheus/prometheus.sh';
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
    backbone = await startBackbone(['kent'], undefined, { NOM_METRICS_TOKEN: METRICS_TOKEN, NOM_METRICS_REFRESH_MS: '200' });
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
});
