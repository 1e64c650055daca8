import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * Debian's Chromium for the browser tests (playwright-core drives it; no browser is downloaded). Installed with apt-get
 * when missing and we are root (or have passwordless sudo), like the other services the test script provides; when that
 * is impossible the run fails saying why: a browser test is never skipped.
 */
export function debianChromium(): string {
  const found = () => CANDIDATES.find((path) => existsSync(path));
  const present = found();
  if (present) return present;
  const root = process.getuid?.() === 0;
  const command = root
    ? ['apt-get', ['install', '-y', '--no-install-recommends', 'chromium']]
    : ['sudo', ['-n', 'apt-get', 'install', '-y', '--no-install-recommends', 'chromium']];
  try {
    execFileSync(command[0] as string, command[1] as string[], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 600_000,
    });
  } catch (error) {
    throw new Error(
      `Chromium is not installed and could not be installed (${(error as Error).message}). Install Debian's package as root: apt-get install -y chromium`,
      { cause: error },
    );
  }
  const installed = found();
  if (!installed) throw new Error('apt-get install chromium ran but no chromium binary is at /usr/bin/chromium');
  return installed;
}
