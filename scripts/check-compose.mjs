#!/usr/bin/env node
// Static check of docker-compose.yml, no Docker engine needed.
//
//   node scripts/check-compose.mjs [compose-file] [--project-directory DIR]
//
// 1. Parses the file with `yaml` (YAML 1.2, `<<` merge keys on, duplicate keys refused).
// 2. Validates it against the Compose Specification JSON Schema (draft-07), the copy of the upstream
//    compose-spec schema that the `dclint` dev dependency ships as schemas/compose.schema.json.
// 3. Checks the project's rules:
//    - no top-level `version:` (obsolete in the Compose Specification);
//    - well-formed `${VAR}` / `${VAR:-default}` interpolation in every string;
//    - every `depends_on` entry names a service; a dependency that has a healthcheck is waited for with
//      `condition: service_healthy`; `service_healthy` is only used on a dependency with a healthcheck;
//      a service outside any profile does not depend on one that only runs under a profile;
//    - every app service (one with `build:`, except a one-shot job such as `migrate`) has a healthcheck that calls /health on the port the app
//      listens on (its PORT, 3000 when unset);
//    - every build context exists and holds its Dockerfile;
//    - named volumes used by services are declared under the top-level `volumes:`;
//    - no two services publish the same host port.
// Relative paths (build contexts) resolve against the project directory: the compose file's folder,
// or --project-directory as with `docker compose --project-directory`.
// Exit 0 with one OK line; exit 1 with one line per problem.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_PACKAGE = 'dclint';
const SCHEMA_FILE = 'schemas/compose.schema.json';
const DEFAULT_APP_PORT = '3000'; // Dockerfile: ENV PORT=3000
const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];

function fail(lines) {
  for (const line of lines) console.error(line);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------- args
function parseArgs(argv) {
  let file;
  let projectDir;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      console.log('usage: node scripts/check-compose.mjs [compose-file] [--project-directory DIR]');
      process.exit(0);
    } else if (arg === '--project-directory') {
      projectDir = argv[++i];
      if (!projectDir) fail(['check-compose: --project-directory needs a directory']);
    } else if (arg.startsWith('--project-directory=')) {
      projectDir = arg.slice('--project-directory='.length);
    } else if (arg.startsWith('-')) {
      fail([`check-compose: unknown option ${arg} (usage: node scripts/check-compose.mjs [compose-file] [--project-directory DIR])`]);
    } else if (file === undefined) {
      file = arg;
    } else {
      fail([`check-compose: more than one compose file given (${file}, ${arg})`]);
    }
  }
  const composeFile = path.resolve(file ?? path.join(repoRoot, 'docker-compose.yml'));
  return { composeFile, projectDir: path.resolve(projectDir ?? path.dirname(composeFile)) };
}

// ---------------------------------------------------------------------------------------------- schema
async function loadValidator() {
  let pkgJsonPath;
  try {
    pkgJsonPath = require.resolve(`${SCHEMA_PACKAGE}/package.json`);
  } catch {
    fail([
      `check-compose: the Compose Specification schema comes from the dev dependency "${SCHEMA_PACKAGE}", which is not installed: run npm ci`,
    ]);
  }
  const pkg = JSON.parse(readFileSync(pkgJsonPath, 'utf8'));
  const schemaPath = path.join(path.dirname(pkgJsonPath), SCHEMA_FILE);
  if (!existsSync(schemaPath))
    fail([`check-compose: ${SCHEMA_PACKAGE}@${pkg.version} has no ${SCHEMA_FILE}; the schema source moved, update SCHEMA_FILE`]);
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  if (schema.title !== 'Compose Specification') fail([`check-compose: ${schemaPath} is not the Compose Specification schema`]);
  // Draft-07 schema. Its "$schema" names the https form of the draft-07 URI, which Ajv does not
  // register under that spelling; dropping the declaration keeps Ajv's own draft-07 meta-schema.
  delete schema.$schema;
  const { default: Ajv } = await import('ajv');
  const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });
  return { validate: ajv.compile(schema), source: `${SCHEMA_PACKAGE}@${pkg.version} ${SCHEMA_FILE}` };
}

// ---------------------------------------------------------------------------------------------- helpers
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const fmtPath = (segments) =>
  segments
    .map((s) => (typeof s === 'number' ? `[${s}]` : s))
    .join('.')
    .replace(/\.\[/g, '[');

/** Compose interpolation with defaults only: ${VAR:-d} / ${VAR-d} -> d (or the environment's value). */
function resolveInterpolation(value) {
  if (typeof value !== 'string') return value;
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name, op, arg, bare) => {
      if (match === '$$') return '$';
      const key = name ?? bare;
      const env = process.env[key];
      const set = op?.startsWith(':') ? env !== undefined && env !== '' : env !== undefined;
      if (op === ':-' || op === '-') return set ? env : resolveInterpolation(arg ?? '');
      if (op === ':+' || op === '+') return set ? resolveInterpolation(arg ?? '') : '';
      return env ?? '';
    },
  );
}

/** Problems with `$` expressions in one string, as compose would report them ("invalid interpolation format"). */
function interpolationProblems(text) {
  const problems = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') continue;
    const next = text[i + 1];
    if (next === '$') {
      i++;
      continue;
    }
    if (next !== undefined && /[A-Za-z_]/.test(next)) continue;
    if (next !== '{') {
      problems.push(`lone "$" at offset ${i} (write "$$" for a literal dollar sign)`);
      continue;
    }
    let depth = 0;
    let end = -1;
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) {
        end = j;
        break;
      }
    }
    if (end < 0) {
      problems.push(`unterminated "\${" at offset ${i}`);
      break;
    }
    const body = text.slice(i + 2, end);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)((:?[-?+])(.*))?$/s.exec(body);
    if (!m)
      problems.push(
        `invalid expression "\${${body}}" (expected \${NAME}, \${NAME:-default}, \${NAME-default}, \${NAME:?error}, \${NAME:+alt})`,
      );
    else if (m[4]) problems.push(...interpolationProblems(m[4]));
    i = end;
  }
  return problems;
}

/** A service's environment as a map (list form `KEY=VALUE` or map form); interpolation resolved. */
function environmentOf(service) {
  const env = {};
  const raw = service.environment;
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const s = String(entry);
      const eq = s.indexOf('=');
      if (eq > 0) env[s.slice(0, eq)] = resolveInterpolation(s.slice(eq + 1));
    }
  } else if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) if (v !== null && v !== undefined) env[k] = resolveInterpolation(String(v));
  }
  return env;
}

/** True when the service defines an enabled healthcheck with a test. */
function hasHealthcheck(service) {
  const hc = service?.healthcheck;
  if (!isObject(hc)) return false;
  if (hc.disable === true || hc.disable === 'true') return false;
  const test = hc.test;
  if (test === undefined) return false;
  if (Array.isArray(test)) return test.length > 0 && test[0] !== 'NONE';
  return typeof test === 'string' && test.trim() !== '' && test.trim() !== 'NONE';
}

function dependsOnEntries(service) {
  const raw = service.depends_on;
  if (Array.isArray(raw)) return raw.map((name) => ({ name: String(name), condition: 'service_started', required: true, short: true }));
  if (isObject(raw)) {
    return Object.entries(raw).map(([name, spec]) => ({
      name,
      condition: isObject(spec) ? spec.condition : undefined,
      required: !(isObject(spec) && spec.required === false),
      short: false,
    }));
  }
  return [];
}

/** Host ports a service publishes: [{ key: 'ip:port/proto', label }] (ranges and unpublished ports left out). */
function publishedPorts(service) {
  const out = [];
  for (const entry of Array.isArray(service.ports) ? service.ports : []) {
    let hostIp = '';
    let published;
    let protocol = 'tcp';
    if (isObject(entry)) {
      hostIp = entry.host_ip ? resolveInterpolation(String(entry.host_ip)) : '';
      published = entry.published !== undefined ? resolveInterpolation(String(entry.published)) : undefined;
      protocol = entry.protocol ?? 'tcp';
    } else if (typeof entry === 'string') {
      let spec = resolveInterpolation(entry);
      const slash = spec.indexOf('/');
      if (slash >= 0) {
        protocol = spec.slice(slash + 1);
        spec = spec.slice(0, slash);
      }
      const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(spec);
      if (ipv6) {
        hostIp = ipv6[1];
        spec = ipv6[2];
      }
      const parts = spec.split(':');
      if (parts.length === 3) {
        hostIp = parts[0];
        published = parts[1];
      } else if (parts.length === 2) published = parts[0];
    }
    if (published && /^\d+$/.test(published)) out.push({ hostIp: hostIp || '0.0.0.0', port: published, protocol });
  }
  return out;
}

function volumeSources(service) {
  const out = [];
  for (const entry of Array.isArray(service.volumes) ? service.volumes : []) {
    if (isObject(entry)) {
      if ((entry.type ?? 'volume') === 'volume' && entry.source) out.push(String(entry.source));
    } else if (typeof entry === 'string') {
      const parts = entry.split(':');
      if (parts.length >= 2) {
        const src = parts[0];
        if (!/^[./~$]/.test(src) && !path.isAbsolute(src) && !/^[A-Za-z]$/.test(src)) out.push(src);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- main
const { composeFile, projectDir } = parseArgs(process.argv.slice(2));
const relative = path.relative(process.cwd(), composeFile);
const shown = relative && !relative.startsWith('..') ? relative : composeFile;
if (!existsSync(composeFile)) fail([`check-compose: ${shown}: no such file`]);

const { default: YAML, LineCounter } = await import('yaml');
const lineCounter = new LineCounter();
const text = readFileSync(composeFile, 'utf8');
const doc = YAML.parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: true, lineCounter });
if (doc.errors.length > 0) {
  // One mistake often cascades into dozens of parser errors: the first few say where it is.
  const shownErrors = doc.errors.slice(0, 3).map((e) => `  - ${e.message.split('\n')[0]}`);
  const more = doc.errors.length > 3 ? [`  (${doc.errors.length - 3} more parser errors follow from these)`] : [];
  fail([`check-compose: ${shown}: not valid YAML`, ...shownErrors, ...more]);
}
const model = doc.toJS({ maxAliasCount: 1000 });

const problems = [];
/** Line of the nearest node that exists in the YAML for a path (merged values have none of their own). */
function lineOf(segments) {
  for (let n = segments.length; n >= 0; n--) {
    const node = doc.getIn(segments.slice(0, n), true);
    if (node && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
function problem(segments, message) {
  const line = lineOf(segments);
  problems.push(`${segments.length ? fmtPath(segments) : '(top level)'}${line ? ` (line ${line})` : ''}: ${message}`);
}

if (!isObject(model)) fail([`check-compose: ${shown}: the document must be a mapping with a "services" key`]);

// 1. Compose Specification schema.
const { validate, source } = await loadValidator();
if (!validate(model)) {
  const seen = new Set();
  const errors = validate.errors ?? [];
  // Ajv reports every branch of a oneOf. Keep what says what is wrong: a branch that went deeper (its
  // type matched) beats the other branches' "must be <type>", which beat the bare "must match oneOf".
  const isBranchNoise = (k) => k === 'type' || k === 'oneOf' || k === 'anyOf';
  const under = (p, q) => q === p || q.startsWith(`${p}/`);
  const typesAt = new Map();
  for (const e of errors) {
    if (e.keyword === 'type') typesAt.set(e.instancePath, [...(typesAt.get(e.instancePath) ?? []), ...[e.params.type].flat()]);
  }
  for (const e of errors) {
    if (isBranchNoise(e.keyword) && errors.some((o) => !isBranchNoise(o.keyword) && under(e.instancePath, o.instancePath))) continue;
    if ((e.keyword === 'oneOf' || e.keyword === 'anyOf') && typesAt.has(e.instancePath)) continue;
    const segments = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let message = e.message ?? e.keyword;
    if (e.keyword === 'type') {
      message = `must be ${[...new Set(typesAt.get(e.instancePath))].join(' or ')}`;
    } else if (e.keyword === 'additionalProperties') {
      message = `unknown key "${e.params.additionalProperty}" (not in the Compose Specification; custom keys must start with "x-")`;
      segments.push(e.params.additionalProperty);
    } else if (e.keyword === 'enum') {
      message = `must be one of ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'required') {
      message = `missing required key "${e.params.missingProperty}"`;
    }
    const line = `${fmtPath(segments)}|${message}`;
    if (seen.has(line)) continue;
    seen.add(line);
    problem(segments, `schema: ${message}`);
  }
}

// 2. Project rules.
if ('version' in model)
  problem(['version'], 'remove the top-level "version:" key; the Compose Specification ignores it and Compose warns that it is obsolete');

// Over the YAML nodes rather than the merged model, so that a string in an anchor is reported once.
YAML.visit(doc, {
  Scalar(key, node, ancestors) {
    if (key === 'key' || typeof node.value !== 'string') return;
    const segments = [];
    const chain = [...ancestors, node];
    chain.forEach((a, i) => {
      if (YAML.isPair(a)) segments.push(String(YAML.isScalar(a.key) ? a.key.value : a.key));
      else if (YAML.isSeq(a)) segments.push(a.items.indexOf(chain[i + 1]));
    });
    for (const p of interpolationProblems(node.value)) problem(segments, `interpolation: ${p}`);
  },
});

const services = isObject(model.services) ? model.services : {};
if (Object.keys(services).length === 0) problem(['services'], 'no services defined');
const declaredVolumes = new Set(isObject(model.volumes) ? Object.keys(model.volumes) : []);
const portOwners = new Map();

for (const [name, service] of Object.entries(services)) {
  if (!isObject(service)) continue; // the schema has reported it
  const at = ['services', name];
  const profiles = Array.isArray(service.profiles) ? service.profiles : [];

  for (const dep of dependsOnEntries(service)) {
    const depAt = service.depends_on && Array.isArray(service.depends_on) ? [...at, 'depends_on'] : [...at, 'depends_on', dep.name];
    const target = services[dep.name];
    if (!isObject(target)) {
      problem(depAt, `depends on "${dep.name}", which is not a service in this file`);
      continue;
    }
    if (dep.name === name) problem(depAt, 'a service cannot depend on itself');
    const targetHealthy = hasHealthcheck(target);
    const knownCondition = dep.condition === undefined || CONDITIONS.includes(dep.condition);
    if (targetHealthy && knownCondition && dep.condition !== 'service_healthy') {
      problem(
        depAt,
        dep.short
          ? `"${dep.name}" has a healthcheck: use the long form "depends_on: { ${dep.name}: { condition: service_healthy } }" instead of a list entry (which only waits for the container to start)`
          : `"${dep.name}" has a healthcheck, so wait for it with "condition: service_healthy" (found ${dep.condition ? `"${dep.condition}"` : 'no condition'})`,
      );
    }
    if (!targetHealthy && dep.condition === 'service_healthy') {
      problem(depAt, `"condition: service_healthy" but "${dep.name}" has no healthcheck in this file, so it never becomes healthy`);
    }
    const targetProfiles = Array.isArray(target.profiles) ? target.profiles : [];
    if (dep.required && profiles.length === 0 && targetProfiles.length > 0) {
      problem(
        depAt,
        `"${name}" runs in every profile but depends on "${dep.name}", which only runs under profile(s) ${targetProfiles.join(', ')}; plain "docker compose up" would fail`,
      );
    }
  }

  // A one-shot job (`restart: "no"`, waited for with service_completed_successfully, e.g. `nom migrate`) serves
  // nothing, so it has no /health to check.
  const oneShot =
    service.restart === 'no' &&
    Object.values(services).some(
      (other) =>
        isObject(other?.depends_on) &&
        isObject(other.depends_on[name]) &&
        other.depends_on[name].condition === 'service_completed_successfully',
    );
  if (service.build !== undefined && !oneShot) {
    // App service: built from the project's Dockerfile.
    if (!hasHealthcheck(service)) {
      problem([...at, 'healthcheck'], 'app service (has build:) without a healthcheck; add one that calls GET /health');
    } else {
      const test = service.healthcheck.test;
      const testText = Array.isArray(test) ? test.join(' ') : String(test);
      const port = environmentOf(service).PORT || DEFAULT_APP_PORT;
      if (!testText.includes('/health')) {
        problem([...at, 'healthcheck', 'test'], 'app healthcheck does not call the /health endpoint');
      }
      for (const m of testText.matchAll(/(?:localhost|127\.0\.0\.1|\[::1\]):(\d+)/g)) {
        if (/^\d+$/.test(port) && m[1] !== port) {
          problem([...at, 'healthcheck', 'test'], `healthcheck calls port ${m[1]} but the service listens on PORT=${port}`);
        }
      }
    }

    const build = service.build;
    const context = resolveInterpolation(typeof build === 'string' ? build : isObject(build) ? (build.context ?? '.') : '.');
    const remote = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/|github\.com\/)/.test(context) || /\.git(#.*)?$/.test(context);
    if (!remote) {
      const contextDir = path.resolve(projectDir, context);
      const buildAt = typeof build === 'string' ? [...at, 'build'] : [...at, 'build', 'context'];
      if (!existsSync(contextDir) || !statSync(contextDir).isDirectory()) {
        problem(buildAt, `build context ${contextDir} does not exist or is not a directory`);
      } else if (!(isObject(build) && build.dockerfile_inline)) {
        const dockerfile = resolveInterpolation(isObject(build) && build.dockerfile ? build.dockerfile : 'Dockerfile');
        const dockerfilePath = path.resolve(contextDir, dockerfile);
        if (!existsSync(dockerfilePath) || !statSync(dockerfilePath).isFile()) {
          problem(
            isObject(build) && build.dockerfile ? [...at, 'build', 'dockerfile'] : buildAt,
            `Dockerfile ${dockerfilePath} does not exist`,
          );
        }
      }
    }
  }

  for (const source of volumeSources(service)) {
    if (!declaredVolumes.has(source))
      problem([...at, 'volumes'], `named volume "${source}" is not declared under the top-level "volumes:"`);
  }

  for (const p of publishedPorts(service)) {
    const key = `${p.port}/${p.protocol}`;
    for (const other of portOwners.get(key) ?? []) {
      const overlap = p.hostIp === other.hostIp || p.hostIp === '0.0.0.0' || other.hostIp === '0.0.0.0';
      if (overlap && other.service !== name) problem([...at, 'ports'], `host port ${key} is also published by "${other.service}"`);
    }
    portOwners.set(key, [...(portOwners.get(key) ?? []), { service: name, hostIp: p.hostIp }]);
  }
}

if (problems.length > 0) {
  fail([`check-compose: ${shown}: ${problems.length} problem(s)`, ...problems.map((p) => `  - ${p}`)]);
}
console.log(
  `check-compose: OK ${shown} (${Object.keys(services).length} services; Compose Specification schema from ${source}; project rules passed)`,
);
