import { backoffDelay, LoopRegistry, superviseLoop, type LoopState } from '#event-store';

const brokerAway = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' });

describe(superviseLoop.name, () => {
  it('retries a transient fault with growing, capped delays and resumes the body from the start', async () => {
    const controller = new AbortController();
    const waits: number[] = [];
    const states: LoopState[] = [];
    let starts = 0;
    await superviseLoop(
      'relay',
      async (loop) => {
        starts += 1;
        if (starts <= 4) throw brokerAway;
        loop.healthy();
        controller.abort();
        return Promise.resolve();
      },
      {
        signal: controller.signal,
        backoff: { initialMs: 100, maxMs: 300, random: () => 0.999 },
        wait: (ms) => Promise.resolve(void waits.push(ms)),
        onState: (s) => states.push(s),
      },
    );
    expect(starts).toBe(5);
    expect(waits).toEqual([100, 200, 300, 300]);
    expect(states.map((s) => [s.state, s.ready, s.attempt])).toEqual([
      ['starting', false, 0],
      ['retrying', false, 1],
      ['retrying', false, 2],
      ['retrying', false, 3],
      ['retrying', false, 4],
      ['running', true, 0],
      ['stopped', false, 0],
    ]);
    expect(states[5]!.lastError).toBe('Error: connect ECONNREFUSED 127.0.0.1:9092');
  });

  it('keeps retrying an error that is not transient, reported as failing, and never throws it', async () => {
    const controller = new AbortController();
    const errors: string[] = [];
    let starts = 0;
    await superviseLoop(
      'national-views',
      () => {
        starts += 1;
        if (starts === 3) controller.abort();
        return Promise.reject(new TypeError('a bug'));
      },
      {
        signal: controller.signal,
        wait: () => Promise.resolve(),
        onError: (_e, s) => errors.push(`${s.state} ${s.attempt} ${s.lastError}`),
      },
    );
    expect(errors).toEqual(['failing 1 TypeError: a bug', 'failing 2 TypeError: a bug']);
  });

  it('starts the backoff again after the loop made progress', async () => {
    const controller = new AbortController();
    const waits: number[] = [];
    let starts = 0;
    await superviseLoop(
      'pm',
      (loop) => {
        starts += 1;
        if (starts === 3) loop.healthy();
        if (starts === 5) controller.abort();
        return Promise.reject(brokerAway);
      },
      {
        signal: controller.signal,
        backoff: { initialMs: 10, maxMs: 1000, random: () => 0 },
        wait: (ms) => Promise.resolve(void waits.push(ms)),
      },
    );
    expect(waits).toEqual([5, 10, 5, 10]);
  });
});

describe(backoffDelay.name, () => {
  it('draws between half the ceiling and the ceiling', () => {
    expect(backoffDelay({ initialMs: 1000, maxMs: 30_000, random: () => 0 }, 1)).toBe(500);
    expect(backoffDelay({ initialMs: 1000, maxMs: 30_000, random: () => 0.5 }, 3)).toBe(3000);
    expect(backoffDelay({ initialMs: 1000, maxMs: 30_000, random: () => 0 }, 40)).toBe(15_000);
  });
});

describe(LoopRegistry.name, () => {
  it('is ready only when every loop is', () => {
    const loops = new LoopRegistry();
    expect(loops.ready()).toBe(true);
    loops.report({ name: 'relay', state: 'running', ready: true, attempt: 0, since: '2026-01-01T00:00:00.000Z' });
    loops.report({ name: 'projector', state: 'retrying', ready: false, attempt: 1, since: '2026-01-01T00:00:00.000Z' });
    expect(loops.ready()).toBe(false);
    expect(loops.snapshot().map((s) => s.name)).toEqual(['projector', 'relay']);
  });
});

describe('a loop whose own client recovers (LoopContext.unhealthy)', () => {
  it('is reported not ready with the error until it is healthy again, without being restarted', async () => {
    const controller = new AbortController();
    const states: LoopState[] = [];
    let starts = 0;
    await superviseLoop(
      'projector:avon-somerset',
      (loop) => {
        starts += 1;
        loop.healthy();
        loop.unhealthy(Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError' }));
        loop.healthy();
        controller.abort();
        return Promise.resolve();
      },
      { signal: controller.signal, onState: (s) => states.push(s) },
    );
    expect(starts).toBe(1);
    expect(states.map((s) => [s.state, s.ready])).toEqual([
      ['starting', false],
      ['running', true],
      ['retrying', false],
      ['running', true],
      ['stopped', false],
    ]);
    expect(states[2]!.lastError).toBe('KafkaJSConnectionError: Connection error');
  });
});
