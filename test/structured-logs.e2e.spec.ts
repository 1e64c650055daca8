import { randomUUID } from 'node:crypto';
import { logLevel } from 'kafkajs';
import request from 'supertest';
import { CasesApiModule } from '#cases-api';
import { kafkaLogCreator } from '#platform';
import { ProjectorModule } from '#projections-api';
import { ReadModelsApiModule } from '#read-models-api';
import { RelayModule } from '#relay-runtime';
import { waitFor } from '#testing';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

type Line = Record<string, unknown> & { msg?: string; context?: string };

describe('structured logs (issue 15, item 3): JSON lines with correlation id, trace id, force and officer', () => {
  const lines: Line[] = [];
  const raw: string[] = [];
  // pino writes each line to the destination as one JSON text.
  const destination = { write: (line: string): void => void (raw.push(line), lines.push(JSON.parse(line) as Line)) };
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let officer: string;

  beforeAll(async () => {
    backbone = await startBackbone(
      ['avon-somerset'],
      [CasesApiModule, RelayModule, ProjectorModule, ReadModelsApiModule],
      { NOM_LOG_LEVEL: 'log' },
      { logging: { destination } },
    );
    http = request(backbone.app.getHttpServer());
    officer = `Bearer ${await backbone.token('avon-somerset', ['officer', 'supervisor'], 'AS-4471')}`;
  });

  afterAll(async () => {
    await backbone.close();
  });

  it('one command: its correlation id is returned, on its request line with the trace, force and officer, in the access log, and on the batch that projected it', async () => {
    const correlationId = randomUUID();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const created = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', officer)
      .set('X-Correlation-Id', correlationId)
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .send({ crimeReference: 'AS/26/007001', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    expect(created.headers['x-correlation-id']).toBe(correlationId);

    const requestLine = await waitFor('the request line', () =>
      lines.find((l) => l['correlationId'] === correlationId && (l['res'] as { statusCode?: number } | undefined)?.statusCode === 201),
    );
    expect(requestLine).toMatchObject({
      level: 30,
      traceId,
      force: 'avon-somerset',
      officer: 'AS-4471',
      req: { method: 'POST', url: '/forces/avon-somerset/cases' },
    });
    expect(requestLine['responseTime']).toEqual(expect.any(Number));
    // For the record (issue 15's note): the command's request line as the service wrote it.
    process.stdout.write(`log line: ${JSON.stringify(requestLine)}\n`);
    expect(raw.join('')).not.toContain('Bearer ');

    const { entries } = await backbone.infrastructure.accessLog.query({
      scopeForce: 'avon-somerset',
      excludingActor: 'nobody',
      limit: 100,
    });
    expect(entries.find((e) => e.route === '/forces/:force/cases' && e.method === 'POST')).toMatchObject({ correlationId, status: 201 });

    const batch = await waitFor("the projector's batch line", () =>
      lines.find((l) => l.context === 'consumer' && l['correlationId'] === correlationId),
    );
    expect(batch).toMatchObject({
      msg: 'batch handled',
      force: 'avon-somerset',
      officer: 'AS-4471',
      records: expect.any(Number),
      groupId: expect.stringContaining('avon-somerset'),
    });
  });

  it('gives a request without a (valid) correlation id a new one, in the answer and the log', async () => {
    const answer = await http
      .get('/forces/avon-somerset/case-summaries')
      .set('Authorization', officer)
      .set('X-Correlation-Id', 'not a uuid')
      .expect(200);
    const id = answer.headers['x-correlation-id'];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await waitFor('its request line', () => lines.find((l) => l['correlationId'] === id && l['officer'] === 'AS-4471'));
  });

  it('kafkajs logs through the same logger, as fields', () => {
    kafkaLogCreator(logLevel.WARN)({
      namespace: 'Connection',
      level: logLevel.WARN,
      label: 'WARN',
      log: { timestamp: 'now', logger: 'kafkajs', message: 'probe from the test', broker: 'b:9092' },
    });
    expect(lines.find((l) => l.msg === 'probe from the test')).toMatchObject({
      context: 'kafkajs',
      level: 40,
      namespace: 'Connection',
      broker: 'b:9092',
    });
  });
});
