import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { CasesApiModule } from '#cases-api';
import { ProjectorModule } from '#projections-api';
import { RelayModule } from '#relay-runtime';
import { waitFor } from '#testing';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

/** A span as OTLP/HTTP JSON carries it (ids in hex, times as nanosecond strings). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
  links?: { traceId: string; spanId: string }[];
}
interface OtlpExport {
  resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

/** The collector: a plain HTTP server taking OTLP/HTTP JSON at /v1/traces. */
function startReceiver(spans: OtlpSpan[]): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces' && req.headers['content-type']?.startsWith('application/json')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
        for (const r of body.resourceSpans ?? []) for (const s of r.scopeSpans ?? []) spans.push(...(s.spans ?? []));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        res.writeHead(415).end();
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('traces (issue 15, item 1; ADR 0039): one command, one trace from HTTP through append and publish to apply', () => {
  const spans: OtlpSpan[] = [];
  let receiver: Server;
  let backbone: RunningBackbone;

  beforeAll(async () => {
    receiver = await startReceiver(spans);
    const { port } = receiver.address() as AddressInfo;
    backbone = await startBackbone(['avon-somerset'], [CasesApiModule, RelayModule, ProjectorModule], {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_SERVICE_NAME: 'nom-traces-test',
    });
  });

  afterAll(async () => {
    await backbone.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('HTTP → event-store append → relay publish → projector apply share one trace id, each the child of the one before', async () => {
    const officer = `Bearer ${await backbone.token('avon-somerset', ['officer'], 'AS-4471')}`;
    const outsideTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    await request(backbone.app.getHttpServer())
      .post('/forces/avon-somerset/cases')
      .set('Authorization', officer)
      .set('traceparent', `00-${outsideTrace}-00f067aa0ba902b7-01`)
      .send({ crimeReference: 'AS/26/007101', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);

    const http = await waitFor('the HTTP span', () => spans.find((s) => s.name === 'HTTP POST /forces/:force/cases'), {
      timeoutMs: 30_000,
    });
    const trace = (name: string): OtlpSpan | undefined => spans.find((s) => s.traceId === http.traceId && s.name === name);
    const apply = await waitFor('the projector apply span', () => trace('projector apply'), { timeoutMs: 30_000 });
    const append = trace('event-store append')!;
    const publish = trace('relay publish')!;
    expect(append.parentSpanId).toBe(http.spanId);
    expect(publish.parentSpanId).toBe(append.spanId);
    expect(apply.parentSpanId).toBe(publish.spanId);

    // T37: the caller's traceparent is a link, not our parent; no attribute carries the request body.
    expect(http.traceId).not.toBe(outsideTrace);
    expect(http.links?.map((l) => l.traceId)).toEqual([outsideTrace]);
    const values = JSON.stringify(spans.filter((s) => s.traceId === http.traceId).map((s) => s.attributes));
    expect(values).not.toContain('AS/26/007101');
    expect(values).not.toContain('AS-4471');

    const ms = (s: OtlpSpan): string => (Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6).toFixed(1);
    process.stdout.write(`trace ${http.traceId}\n${[http, append, publish, apply].map((s) => `  ${s.name} ${ms(s)} ms`).join('\n')}\n`);
  });
});
