import { z } from 'zod';
import { FORCE_CODES } from '#contracts';
import {
  flag,
  forceList,
  identifier,
  integer,
  oneOf,
  PROCESSES,
  text,
  textOr,
  TOKEN_SERVICES,
  variable,
  type Service,
} from './variable.js';
import { KAFKA_VARIABLES, TOPIC_CREATORS } from './variables-kafka.js';

const TOOLS = ['simulate', 'projections:rebuild', 'nom research', 'nom audit verify', 'nom keys'] as const satisfies readonly Service[];
const LOOPS = ['relay', 'projector', 'process-manager', 'national', 'sealer', 'quickstart'] as const satisfies readonly Service[];

/** Where the processes find PostgreSQL and Kafka, and how they connect (README "Managed services"). */
export const CONNECTION_VARIABLES = {
  DATABASE_URL: variable({
    schema: text(),
    default: '– (quick start: embedded)',
    services: [...PROCESSES, ...TOOLS],
    secret: true,
    description:
      "PostgreSQL for the event store and the force projections, as this service's own role; TLS to a managed server with " +
      '`?sslmode=verify-full&sslrootcert=/path/ca.pem`',
    example: 'postgres://nom:change-me@127.0.0.1:5432/nom',
  }),
  NOM_PG_POOL_SIZE: variable({
    schema: integer(16, 1, 500),
    default: '`16`',
    services: PROCESSES,
    secret: false,
    description: "connections of the event store's pool in this process (a managed server limits the total: sum the services' pools)",
  }),
  NOM_PROJECTOR_POOL_SIZE: variable({
    schema: integer(7, 1, 100),
    default: '`7`',
    services: ['projector', 'quickstart'],
    secret: false,
    description: "connections of each force projector's pool (one per force projected)",
  }),
  NOM_EVENT_STORE_SCHEMA: variable({
    schema: identifier('nom_event_store'),
    default: '`nom_event_store`',
    services: [...PROCESSES, ...TOOLS],
    secret: false,
    description: 'PostgreSQL schema of the event log',
  }),
  NOM_AUDIT_SCHEMA: variable({
    schema: identifier('nom_audit'),
    default: '`nom_audit`',
    services: [...TOKEN_SERVICES, 'nom research', 'nom audit verify'],
    secret: false,
    description:
      'PostgreSQL schema of the Section 62 access log and its seals, and of the research disclosure log (`research_disclosures`, ' +
      '`research_disclosure_steps`, append-only)',
  }),
  ...KAFKA_VARIABLES,
  NOM_SCHEMA_BASE_URL: variable({
    schema: textOr('https://api.nom.police.uk/schemas').pipe(
      z.string().refine(
        (raw) => {
          try {
            const url = new URL(raw);
            const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
            return (
              (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) &&
              !url.search &&
              !url.hash &&
              !url.username &&
              !url.password
            );
          } catch {
            return false;
          }
        },
        { error: 'must be an https URL (http only on a loopback host) with no query, fragment or credentials' },
      ),
    ),
    default: '`https://api.nom.police.uk/schemas`',
    services: [...TOPIC_CREATORS],
    secret: false,
    description:
      "where the backbone's `/schemas` are reached from outside: every record's `ce_dataschema` is `<base>/<type>` (every app serves `GET /schemas`; ADR 0031)",
  }),
  NOM_TOPIC_PREFIX: variable({
    schema: textOr('nom').pipe(z.string().regex(/^[a-zA-Z0-9._-]{1,100}$/, { error: 'may hold only letters, digits, ".", "_" and "-"' })),
    default: '`nom`',
    services: [...TOPIC_CREATORS, 'kafka provisioning'],
    secret: false,
    description: 'topics are `<prefix>.force.<force>.events`; groups `<prefix>.projector.<force>`',
  }),
} as const;

/** How the processes behave: HTTP limits, loops, projections. */
export const BEHAVIOUR_VARIABLES = {
  PORT: variable({
    schema: integer(3000, 0, 65535),
    default: '`3000`',
    services: [...PROCESSES, 'dev-issuer', 'console'],
    secret: false,
    description: 'HTTP port',
  }),
  NOM_LOG_LEVEL: variable({
    schema: oneOf(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'], 'log'),
    default: '`log`',
    services: [...PROCESSES, ...TOOLS],
    secret: false,
    description: '`error`, `warn`, `log` (info), `debug` or `verbose` (`npm test` uses `warn`)',
  }),
  NOM_FORCES: variable({
    schema: forceList({ national: false }).transform((forces) => forces as typeof FORCE_CODES | undefined),
    default: 'all 43 (quick start: the 4 demo forces)',
    services: ['relay', 'projector', 'quickstart'],
    secret: false,
    description:
      'force codes ([`libs/contracts/data/forces.csv`](libs/contracts/data/forces.csv)) to create topics for / to project from start, or `all`; ' +
      'more are onboarded by command (`POST /national/forces/:forceCode/onboarding`)',
  }),
  NOM_PROJECTION_SCHEMA_PREFIX: variable({
    schema: identifier('force_', 30),
    default: '`force_`',
    services: ['projector', 'quickstart', 'projections:rebuild', 'nom research'],
    secret: false,
    description: "each force's read models live in `<prefix><force>`",
  }),
  NOM_PROJECTION_ISOLATION: variable({
    schema: oneOf(['schema', 'database'], 'schema'),
    default: '`schema`',
    services: ['projector', 'quickstart'],
    secret: false,
    description:
      'where a force onboarded without a choice keeps its read models: `schema` (its own schema) or `database` (its own database of the same name, same server)',
  }),
  NOM_PROJECTION_DROP_OLD_BUILD: variable({
    schema: oneOf(['true', 'false'], 'true').transform((v) => v === 'true'),
    default: '`true`',
    services: ['projector', 'quickstart', 'projections:rebuild'],
    secret: false,
    description: "drop a read model's replaced build after a rebuild switched (`false`: keep it, retired)",
  }),
  NOM_RELAY_BATCH_SIZE: variable({
    schema: integer(500, 1, 10_000),
    default: '`500`',
    services: ['relay', 'quickstart'],
    secret: false,
    description: 'events read and published per round trip',
  }),
  NOM_RELAY_IDLE_POLL_MS: variable({
    schema: integer(500, 1, 60_000),
    default: '`500`',
    services: ['relay', 'quickstart'],
    secret: false,
    description:
      'safety-net poll when caught up: the relay is woken by LISTEN/NOTIFY on each committed append (ADR 0028) and polls only in case a ' +
      'notification was lost',
  }),
  NOM_TIMER_INTERVAL_MS: variable({
    schema: integer(30_000, 100, 3_600_000),
    default: '`30000`',
    services: ['process-manager', 'quickstart'],
    secret: false,
    description: "how often due Victims' Code deadlines are checked",
  }),
  NOM_RETRY_INITIAL_MS: variable({
    schema: integer(250, 10, 60_000),
    default: '`250`',
    services: LOOPS,
    secret: false,
    description: "backoff of a background loop after a failure: the first delay's ceiling; it doubles per failure, with jitter (ADR 0021)",
  }),
  NOM_RETRY_MAX_MS: variable({
    schema: integer(30_000, 100, 3_600_000),
    default: '`30000`',
    services: LOOPS,
    secret: false,
    description: 'the longest delay between two attempts of a loop waiting for PostgreSQL or Kafka (at least `NOM_RETRY_INITIAL_MS`)',
  }),
  NOM_BODY_LIMIT_BYTES: variable({
    schema: integer(64 * 1024, 1024, 10 * 1024 * 1024),
    default: '`65536`',
    services: PROCESSES,
    secret: false,
    description: 'largest JSON body accepted (413 beyond)',
  }),
  NOM_RATE_LIMIT: variable({
    schema: integer(600, 1, 1_000_000),
    default: '`600`',
    services: TOKEN_SERVICES,
    secret: false,
    description:
      'requests per caller (verified officer in their force) per window; over it: 429 with `Retry-After`. Refused probes count; other callers are unaffected',
  }),
  NOM_RATE_LIMIT_WINDOW_MS: variable({
    schema: integer(60_000, 1000, 3_600_000),
    default: '`60000`',
    services: TOKEN_SERVICES,
    secret: false,
    description: 'the rate-limit window',
  }),
  NOM_IDEMPOTENCY_TTL_HOURS: variable({
    schema: integer(24, 1, 24 * 30),
    default: '`24`',
    services: ['cases', 'suspects', 'victims', 'learning', 'national', 'quickstart'],
    secret: false,
    description:
      "how long a command's first response is kept for `Idempotency-Key` retries (1 to 720); expired records are deleted on the next write; a retry " +
      'after it runs the command again (the event ids are derived from the key, so an append already made is a no-op)',
  }),
  NOM_KPI_SUPPRESSION_THRESHOLD: variable({
    schema: integer(10, 1, 1000),
    default: '`10`',
    services: ['national', 'projector', 'quickstart'],
    secret: false,
    description:
      'national views: shares over fewer occasions than this are published as suppressed; national KPIs: counts, and rates whose numerator or ' +
      'denominator, below this are suppressed, with secondary suppression ([`docs/kpis.md`](docs/kpis.md))',
  }),
  NOM_METRICS_TOKEN: variable({
    schema: text().refine((raw) => raw === undefined || (raw.length >= 32 && !/\s/.test(raw)), {
      error: 'must be at least 32 characters, without spaces (e.g. `openssl rand -hex 32`)',
    }),
    default: '– (unset: `/metrics` answers 404)',
    services: PROCESSES,
    secret: true,
    description:
      "the Prometheus scraper's bearer token for `GET /metrics`, at least 32 characters (`openssl rand -hex 32`); compared in constant time; a user's JWT is not accepted there",
  }),
  NOM_METRICS_REFRESH_MS: variable({
    schema: integer(15_000, 100, 3_600_000),
    default: '`15000`',
    services: ['projector', 'quickstart'],
    secret: false,
    description: 'how often the `/metrics` text is collected from the read models (100 to 3600000); a scrape is served from memory',
  }),
  NOM_NATIONAL_SCHEMA: variable({
    schema: identifier('nom_national'),
    default: '`nom_national`',
    services: ['national', 'quickstart'],
    secret: false,
    description: 'PostgreSQL schema of the national views',
  }),
  NOM_MATCH_DISCLOSURES_PER_OFFICER_PER_DAY: variable({
    schema: z.preprocess(
      (raw) => (typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined),
      z
        .string()
        .regex(/^\d{1,6}$/, { error: 'must be a whole number (0 discloses nothing)' })
        .default('20')
        .transform(Number),
    ),
    default: '`20`',
    services: ['national', 'quickstart'],
    secret: false,
    description:
      "repeat-suspect matches one officer's arrests, interviews and charges may disclose per UTC day; past it the match stays pending, and the " +
      'refusal is logged (status 429) in the access log',
  }),
  NOM_DATA_DIR: variable({
    schema: textOr('.local/quickstart'),
    default: '`.local/quickstart`',
    services: ['quickstart'],
    secret: false,
    description: 'where the embedded PostgreSQL keeps its data (and the quick start its generated keys)',
  }),
  NOM_EMBEDDED_PG_PORT: variable({
    schema: integer(54329, 1, 65535),
    default: '`54329`',
    services: ['quickstart'],
    secret: false,
    description: 'port of the embedded PostgreSQL',
  }),
  NOM_DEV_TOKENS: variable({
    schema: flag(false),
    default: '`false`',
    services: ['quickstart'],
    secret: false,
    description:
      '`true`: mount the local token issuer (`POST /dev/tokens`, any force and role) on a real `DATABASE_URL` too, listening on 127.0.0.1 only, ' +
      'with a warning at every start; development only, never a deployment (refused beside an identity provider)',
  }),
  NOM_DEV_ISSUER_KEY_FILE: variable({
    schema: text(),
    default: '– (a new key at every start)',
    services: ['dev-issuer'],
    secret: false,
    description:
      "PKCS#8 PEM file of the development-only issuer's ES256 key, kept between starts so the services can hold its public key " +
      '(`bash scripts/compose-env.sh --dev-issuer` writes both)',
  }),
  NOM_DEV_ISSUER_HOST: variable({
    schema: textOr('127.0.0.1'),
    default: '`127.0.0.1`',
    services: ['dev-issuer'],
    secret: false,
    description:
      'address the development-only token issuer listens on (`0.0.0.0` only inside a private Compose network); never in a deployment',
  }),
  USER: variable({
    schema: textOr('unknown'),
    default: 'the login name',
    services: ['nom research'],
    secret: false,
    description: 'the default `--requester` recorded with a research export',
  }),
} as const;
