import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The first port of the kernel's ephemeral range (the ports it hands to outgoing connections). A port a test gives a
 * server it starts later must lie below it: a port the OS picked with listen(0) and released, or a random port in that
 * range, can be taken by any client's connection (to PostgreSQL, to Kafka) before the server binds it, and the server
 * then fails with EADDRINUSE (it happened once in the fresh-clone CI: the stack's relay lost its port to a connection).
 */
function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low !== undefined && Number.isInteger(low) && low > 11_000) return low;
  } catch {
    // not Linux: the IANA dynamic range
  }
  return 49_152;
}

/** Whether a server can listen on the port now, on every address (as the services do) and on the loopback. */
function listenable(port: number): Promise<boolean> {
  const attempt = (host?: string): Promise<boolean> =>
    new Promise((resolve) => {
      const server = createServer().once('error', () => resolve(false));
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
    });
  return attempt().then((any) => (any ? attempt('127.0.0.1') : false));
}

const handedOut = new Set<number>();

/**
 * `count` consecutive ports, free now and below the ephemeral range (so that no outgoing connection takes one before
 * its server starts), never handed out twice to this process. Random within 10000..(range start), so that test files
 * running side by side in other workers rarely pick the same ones, and the bind check catches it when they do.
 */
export async function freePortRange(count: number): Promise<number> {
  const low = 10_000;
  const high = ephemeralLow() - count;
  for (let tries = 0; tries < 1_000; tries += 1) {
    const base = low + Math.floor(Math.random() * (high - low));
    let all = true;
    for (let p = base; p < base + count && all; p += 1) all = !handedOut.has(p) && (await listenable(p));
    if (all) {
      for (let p = base; p < base + count; p += 1) handedOut.add(p);
      return base;
    }
  }
  throw new Error(`no ${count} consecutive free ports between ${low} and ${high}`);
}

/** One free port below the ephemeral range (see freePortRange). */
export function freePort(): Promise<number> {
  return freePortRange(1);
}

/** `count` free ports below the ephemeral range, not necessarily consecutive. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freePort());
  return ports;
}
