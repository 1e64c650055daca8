import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '#platform';
import { log, now, round } from './common.js';

/**
 * The command-to-projection bench's `services` topology: the cases service, the relay and the projector each in a
 * process of its own, started from their own entry points (dist/apps/<app>/src/main.js) as docker-compose.yml and
 * the Kubernetes manifests deploy them. The bench's process keeps only the load generator and the watcher.
 */
export interface ServiceProcesses {
  /** The cases service's HTTP port. */
  readonly casesPort: number;
  /** CPU time each service has used so far, ms (user + system, from /proc/<pid>/stat). */
  cpuMs(): Record<string, number>;
  /** Resident memory of each service, MiB (from /proc/<pid>/status). */
  rssMiB(): Record<string, number>;
  stop(): Promise<void>;
}

type App = 'cases' | 'relay' | 'projector';

function ticksOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, inside parentheses): utime is the 14th, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

async function start(app: App, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  // BENCH_C2P_CPU_PROF=<dir>: each service writes a CPU profile there when it stops (node --cpu-prof).
  const profileDir = process.env['BENCH_C2P_CPU_PROF'];
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${app}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profile, `dist/apps/${app}/src/main.js`], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stderr.on('data', keep);
  return new Promise((resolve, reject) => {
    const startedAt = now();
    const fail = (why: string): void => {
      clearInterval(timer);
      child.kill('SIGKILL');
      reject(new Error(`${app}: ${why}\n${tail}`));
    };
    let listening = false;
    // Read for as long as the child runs (a full pipe would stall it); only the tail is kept, for errors.
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (!listening && tail.includes(`http://localhost:${port}`)) {
        listening = true;
        clearInterval(timer);
        resolve({ child, port });
      }
    });
    child.once('exit', (code, signal) => {
      if (!listening) fail(`exited (${code ?? signal}) before it listened`);
    });
    const timer = setInterval(() => {
      if (now() - startedAt > timeoutMs) fail(`did not listen within ${timeoutMs} ms`);
    }, 250);
  });
}

/** Starts the three services with `env` (each on a port of its own choosing) and waits until each listens. */
export async function startServices(env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<ServiceProcesses> {
  const running = new Map<App, ChildProcess>();
  const stop = async (): Promise<void> => {
    await Promise.all(
      [...running.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    // The relay and the projector first: the cases service is the one the load reaches.
    let casesPort = 0;
    for (const app of ['relay', 'projector', 'cases'] as const) {
      const { child, port } = await start(app, env, timeoutMs);
      running.set(app, child);
      child.on('exit', (code, signal) => {
        if (code !== 0 && signal !== 'SIGTERM') log(`command-to-projection: the ${app} service exited (${code ?? signal})`);
      });
      if (app === 'cases') casesPort = port;
      log(`command-to-projection: ${app} service pid ${child.pid} on port ${port}`);
    }
    const pids = (): [App, number][] => [...running].map(([app, child]) => [app, child.pid!]);
    const tick = 1000 / 100; // ms per USER_HZ tick
    return {
      casesPort,
      cpuMs: () => Object.fromEntries(pids().map(([app, pid]) => [app, ticksOf(pid) * tick])),
      rssMiB: () => Object.fromEntries(pids().map(([app, pid]) => [app, round(rssOf(pid), 1)])),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Each service's share of one core between two `cpuMs()` readings `seconds` apart. */
export function cpuPctOfOneCore(before: Record<string, number>, after: Record<string, number>, seconds: number): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((app) => [app, round((after[app]! - (before[app] ?? 0)) / 10 / seconds, 1)]));
}
