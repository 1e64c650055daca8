import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueSnapshots, checkCatalogue, explainBreaking, type CatalogueSnapshot } from '#contracts';

/**
 * Snapshots the published event catalogue (ADR 0034): one file per event type version in contracts/snapshots/, what
 * its consumers were promised. `npm run catalogue:snapshot` adds the new versions and records minor changes (a new
 * optional field, a widened enum); it refuses, saying what to do instead, when a published version changed in a way
 * that is not backward compatible. libs/contracts/test/catalogue-compatibility.unit.spec.ts runs the same check in CI.
 */
const SNAPSHOT_DIR = join(import.meta.dirname, '..', '..', 'contracts', 'snapshots');

function readSnapshots(dir = SNAPSHOT_DIR): CatalogueSnapshot[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CatalogueSnapshot);
}

/** A compatible change to the published catalogue is a minor version of the event package (ADR 0033). */
function bumpPackageMinor(): string {
  const file = join(import.meta.dirname, '..', '..', 'packages', 'events', 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version: string };
  const [major, minor] = pkg.version.split('.').map(Number);
  pkg.version = `${major}.${(minor ?? 0) + 1}.0`;
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  return pkg.version;
}

const current = catalogueSnapshots();
const before = readSnapshots();
const findings = checkCatalogue(before, current);
const breaking = explainBreaking(findings);
if (breaking) {
  process.stderr.write(`${breaking}\n\nNo snapshot was written.\n`);
  process.exitCode = 1;
} else {
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const changed = new Set(findings.map((f) => f.type));
  for (const entry of current) {
    if (!changed.has(entry.type) && existsSync(join(SNAPSHOT_DIR, `${entry.type}.json`))) continue;
    writeFileSync(join(SNAPSHOT_DIR, `${entry.type}.json`), `${JSON.stringify(entry, null, 2)}\n`);
  }
  for (const f of findings)
    process.stdout.write(`${f.kind}: ${f.type}${f.changes.map((c) => `\n  - ${c.pointer || '(data)'}: ${c.change}`).join('')}\n`);
  process.stdout.write(`${current.length} event type versions snapshotted in contracts/snapshots/ (${findings.length} written)\n`);
  if (before.length > 0 && findings.length > 0)
    process.stdout.write(`@nom-backbone/events is now ${bumpPackageMinor()} (packages/events/package.json)\n`);
}
