import { randomBytes } from 'node:crypto';
import kafkajs, { type AclEntry } from 'kafkajs';
import { auditCheckpointsTopic, forceTopic, nationalTopic } from '#contracts';

// kafkajs is CommonJS: its enums are not named exports under Node's ESM loader.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

/**
 * Who may do what on the backbone's Kafka (ADR 0010). Every principal authenticates with SASL/SCRAM; the broker
 * runs the StandardAuthorizer with `allow.everyone.if.no.acl.found=false`, so a principal can do exactly what
 * the bindings below allow and nothing else. The bindings are generated from the force list, never written by
 * hand, and no binding names the wildcard resource `*` or the wildcard principal `User:*`.
 */

/** Super user: creates users, ACLs and topics (scripts, test set-up). Needs no ACLs. */
export const KAFKA_ADMIN_PRINCIPAL = 'nom-admin';
/** The relay, the only writer of the force and national topics. */
export const KAFKA_RELAY_PRINCIPAL = 'nom-relay';
/** The backbone's own consumers (force projectors, process managers): read force topics, groups `<prefix>.`. */
export const KAFKA_PROJECTOR_PRINCIPAL = 'nom-projector';

/** A force's integration principal: reads its own force topic only. */
export function forcePrincipal(force: string): string {
  return `force-${force}`;
}

/** The consumer group prefix a force's integration principal may use: `force-<code>.` (e.g. `force-kent.crm`). */
export function forceGroupPrefix(force: string): string {
  return `${forcePrincipal(force)}.`;
}

/** Every SCRAM user of the backbone: the three fixed principals and one integration principal per force. */
export function kafkaPrincipals(forces: readonly string[]): string[] {
  return [KAFKA_ADMIN_PRINCIPAL, KAFKA_RELAY_PRINCIPAL, KAFKA_PROJECTOR_PRINCIPAL, ...forces.map(forcePrincipal)];
}

export type AclResource = 'TOPIC' | 'GROUP' | 'CLUSTER';
export type AclPattern = 'LITERAL' | 'PREFIXED';
export type AclOperation = 'READ' | 'WRITE' | 'CREATE' | 'DESCRIBE' | 'IDEMPOTENT_WRITE';

/** One ALLOW binding, in Kafka's own words (what `kafka-acls --list` prints). */
export interface AclBinding {
  readonly principal: `User:${string}`;
  readonly resourceType: AclResource;
  readonly resourceName: string;
  readonly patternType: AclPattern;
  readonly operation: AclOperation;
}

/** Kafka's name of the cluster resource (the only one there is). */
export const KAFKA_CLUSTER_RESOURCE = 'kafka-cluster';

/**
 * The ALLOW bindings for the given forces and topic prefix:
 * - `nom-relay`: WRITE, DESCRIBE and CREATE on each force topic and the national topic (LITERAL), and
 *   IDEMPOTENT_WRITE on the cluster (its producer is idempotent). READ on those same topics and on consumer
 *   groups PREFIXED `<prefix>.relay.tail.` only: a new producer reads the last record of each partition it writes
 *   so that it never publishes an event twice (ADR 0021); it holds every event in the store already.
 * - `nom-projector`: READ, DESCRIBE and CREATE on each force topic (LITERAL), READ and DESCRIBE on the national topic
 *   (its onboarding feed; the relay creates it), and READ on consumer groups PREFIXED `<prefix>.`
 *   (`nom.projector.<force>`, later process managers). No WRITE. DESCRIBE (only) on each force's groups PREFIXED
 *   `force-<code>.`: the API serving `GET /forces/{force}/subscription-status` runs as this principal and reads those
 *   groups' committed offsets (ADR 0032); it can neither join nor reset them.
 * - `force-<code>`: READ and DESCRIBE on `<prefix>.force.<code>.events` (LITERAL), READ on consumer groups
 *   PREFIXED `force-<code>.`. Nothing else: no other topic, no write, no create.
 * - the sealer's signed checkpoints, `<prefix>.audit.checkpoints` (ADR 0023): WRITE, DESCRIBE and CREATE for
 *   `nom-relay` (the sealer publishes as the relay's principal; READ for its producer's tail, as above), READ and
 *   DESCRIBE for every `force-<code>`, so that every force keeps copies outside the national database. They hold
 *   no personal data.
 * CREATE is there because the relay and the projector create their topics with the configured partitions
 * when they are missing (KafkaMessageBus.ensureTopics); it names only their own topics.
 */
/** The consumer groups in which the relay reads the last records of its topics (ADR 0021). */
export function relayTailGroupPrefix(prefix = 'nom'): string {
  return `${prefix}.relay.tail.`;
}

export function kafkaAclBindings(forces: readonly string[], prefix = 'nom'): AclBinding[] {
  const bindings: AclBinding[] = [];
  const allow = (
    principal: string,
    resourceType: AclResource,
    resourceName: string,
    patternType: AclPattern,
    operations: readonly AclOperation[],
  ): void => {
    for (const operation of operations)
      bindings.push({ principal: `User:${principal}`, resourceType, resourceName, patternType, operation });
  };
  for (const topic of [...forces.map((f) => forceTopic(f, prefix)), nationalTopic(prefix)]) {
    allow(KAFKA_RELAY_PRINCIPAL, 'TOPIC', topic, 'LITERAL', ['WRITE', 'DESCRIBE', 'CREATE', 'READ']);
  }
  allow(KAFKA_RELAY_PRINCIPAL, 'CLUSTER', KAFKA_CLUSTER_RESOURCE, 'LITERAL', ['IDEMPOTENT_WRITE']);
  allow(KAFKA_RELAY_PRINCIPAL, 'GROUP', relayTailGroupPrefix(prefix), 'PREFIXED', ['READ']);
  for (const force of forces)
    allow(KAFKA_PROJECTOR_PRINCIPAL, 'TOPIC', forceTopic(force, prefix), 'LITERAL', ['READ', 'DESCRIBE', 'CREATE']);
  // The projector's onboarding feed reads the national topic (force-onboarded); it never writes or creates it.
  allow(KAFKA_PROJECTOR_PRINCIPAL, 'TOPIC', nationalTopic(prefix), 'LITERAL', ['READ', 'DESCRIBE']);
  allow(KAFKA_PROJECTOR_PRINCIPAL, 'GROUP', `${prefix}.`, 'PREFIXED', ['READ']);
  // Subscription status (ADR 0032): the API describes the forces' own groups, to show each force its lag; it cannot join them.
  for (const force of forces) allow(KAFKA_PROJECTOR_PRINCIPAL, 'GROUP', forceGroupPrefix(force), 'PREFIXED', ['DESCRIBE']);
  for (const force of forces) {
    allow(forcePrincipal(force), 'TOPIC', forceTopic(force, prefix), 'LITERAL', ['READ', 'DESCRIBE']);
    allow(forcePrincipal(force), 'GROUP', forceGroupPrefix(force), 'PREFIXED', ['READ']);
  }
  // READ too: like the relay's, the sealer's idempotent producer first reads the tail of what it publishes (ADR 0021).
  allow(KAFKA_RELAY_PRINCIPAL, 'TOPIC', auditCheckpointsTopic(prefix), 'LITERAL', ['WRITE', 'DESCRIBE', 'CREATE', 'READ']);
  for (const force of forces) allow(forcePrincipal(force), 'TOPIC', auditCheckpointsTopic(prefix), 'LITERAL', ['READ', 'DESCRIBE']);
  return bindings;
}

/** A binding as kafkajs `admin.createAcls` takes it (any host). */
export function toKafkajsAcl(binding: AclBinding): AclEntry {
  return {
    principal: binding.principal,
    host: '*',
    resourceType: AclResourceTypes[binding.resourceType],
    resourceName: binding.resourceName,
    resourcePatternType: ResourcePatternTypes[binding.patternType],
    operation: AclOperationTypes[binding.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/**
 * The SASL credentials file of a broker home (scripts/kafka/broker.sh): one `principal=password` line per
 * SCRAM user, mode 600, never committed. Passwords are 32 random bytes, base64url (safe in JAAS and shells).
 */
export function parseKafkaCredentials(text: string): Map<string, string> {
  const credentials = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`malformed Kafka credentials line (expected principal=password): ${line.slice(0, 40)}`);
    credentials.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return credentials;
}

export function formatKafkaCredentials(credentials: ReadonlyMap<string, string>): string {
  return `# Kafka SASL/SCRAM users of this broker home (principal=password); written by scripts/kafka/provision.ts\n${[...credentials]
    .map(([principal, password]) => `${principal}=${password}`)
    .join('\n')}\n`;
}

/** The credentials with a fresh random password for every principal that has none yet (existing ones kept). */
export function withPasswordsFor(principals: readonly string[], existing: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const credentials = new Map(existing);
  for (const principal of principals) {
    if (!credentials.has(principal)) credentials.set(principal, randomBytes(32).toString('base64url'));
  }
  return credentials;
}
