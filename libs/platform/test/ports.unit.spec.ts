import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePortRange, freePorts } from '../src/ports.js';

/** The kernel's ephemeral range start, as the helper reads it (49152 off Linux). */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 49_152;
  }
}

const listen = (port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen({ port, exclusive: true }, () => server.close(() => resolve()));
  });

describe('ports for servers a test or script starts', () => {
  it('hands out consecutive ports below the ephemeral range that a server can listen on', async () => {
    const base = await freePortRange(10);
    expect(base).toBeGreaterThanOrEqual(10_000);
    expect(base + 10).toBeLessThanOrEqual(ephemeralLow());
    for (let port = base; port < base + 10; port += 1) await listen(port);
  });

  it('never hands the same port out twice in a process', async () => {
    const ports = await freePorts(50);
    expect(new Set(ports).size).toBe(50);
    const range = await freePortRange(5);
    for (let port = range; port < range + 5; port += 1) expect(ports).not.toContain(port);
  });
});
