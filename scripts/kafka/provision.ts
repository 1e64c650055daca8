import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import kafkajs from 'kafkajs';
import { auditCheckpointsTopic, FORCE_CODES, forceTopic, nationalTopic } from '#contracts';
import {
  eventTopicConfigEntries,
  topicConfigDrift,
  formatKafkaCredentials,
  kafkaAclBindings,
  kafkaPrincipals,
  parseKafkaCredentials,
  toKafkajsAcl,
  withPasswordsFor,
  KAFKA_ADMIN_PRINCIPAL,
  kafkaSasl,
  kafkaTls,
} from '#messaging';
import { readEnvironment } from '#platform';

const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ConfigResourceTypes, Kafka, logLevel, ResourcePatternTypes } = kafkajs;

/**
 * The users and ACLs of the backbone's Kafka, generated from the force list (ADR 0010). scripts/kafka/broker.sh
 * runs it; it can be run by hand against any broker whose super user is `nom-admin`.
 *
 *   node dist/scripts/kafka/provision.js principals
 *       prints every SCRAM user, one a line.
 *   node dist/scripts/kafka/provision.js credentials <file>
 *       makes sure <file> (mode 600) holds a random password for every SCRAM user; existing ones are kept.
 *   node dist/scripts/kafka/provision.js acls
 *       creates every ACL binding in one request (creating an existing binding changes nothing) and checks that
 *       the broker lists them all. Connects with KAFKA_BROKERS and the admin's KAFKA_SASL_MECHANISM,
 *       KAFKA_USERNAME, KAFKA_PASSWORD (or KAFKA_CREDENTIALS_FILE, from which nom-admin's password is read).
 *       NOM_TOPIC_PREFIX (default nom) names the topics. Then does what `topics` does.
 *   node dist/scripts/kafka/provision.js topics
 *       gives every existing force and national topic (and the checkpoints topic) the retention policy of ADR 0017 (kept for ever, never
 *       compacted: EVENT_TOPIC_CONFIG) where it differs, e.g. a topic created before the policy. Topics created by
 *       the backbone get it at creation. Same connection settings as `acls`.
 */
const log = (message: string): void => void process.stderr.write(`kafka-provision: ${message}\n`);

function ensureCredentials(file: string): void {
  const existing = existsSync(file) ? parseKafkaCredentials(readFileSync(file, 'utf8')) : new Map<string, string>();
  const credentials = withPasswordsFor(kafkaPrincipals(FORCE_CODES), existing);
  if (existsSync(file) && credentials.size === existing.size) {
    chmodSync(file, 0o600);
    return;
  }
  const tmp = `${file}.tmp.${process.pid}`;
  writeFileSync(tmp, formatKafkaCredentials(credentials), { mode: 0o600 });
  renameSync(tmp, file);
  log(`${credentials.size - existing.size} new SCRAM user password(s) in ${file}`);
}

function adminConnection(): { admin: kafkajs.Admin; prefix: string } {
  const env = readEnvironment();
  const brokers = env.KAFKA_BROKERS ?? [];
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is required');
  const file = env.KAFKA_CREDENTIALS_FILE;
  const username = env.KAFKA_USERNAME ?? KAFKA_ADMIN_PRINCIPAL;
  const password = env.KAFKA_PASSWORD ?? (file ? parseKafkaCredentials(readFileSync(file, 'utf8')).get(username) : undefined);
  if (!password) throw new Error('KAFKA_PASSWORD (or KAFKA_CREDENTIALS_FILE) is required');
  const mechanism = env.KAFKA_SASL_MECHANISM ?? 'scram-sha-512';
  if (mechanism === 'oauthbearer')
    throw new Error('provisioning signs in as the SCRAM admin principal: KAFKA_SASL_MECHANISM=oauthbearer is not supported here');
  const prefix = env.NOM_TOPIC_PREFIX;
  const admin = new Kafka({
    clientId: 'nom-provision',
    brokers,
    logLevel: logLevel.NOTHING,
    sasl: kafkaSasl({ mechanism, username, password }),
    ssl: kafkaTls({ ssl: env.KAFKA_SSL, ...(env.KAFKA_SSL_CA_FILE ? { caFile: env.KAFKA_SSL_CA_FILE } : {}) }),
  }).admin();
  return { admin, prefix };
}

/** Alters the existing event topics whose retention settings differ from EVENT_TOPIC_CONFIG (ADR 0017). */
async function applyTopicPolicy(admin: kafkajs.Admin, prefix: string): Promise<void> {
  // The sealer's checkpoints too (ADR 0023): a force that starts keeping them late must find them all.
  const wanted = new Set([...FORCE_CODES.map((f) => forceTopic(f, prefix)), nationalTopic(prefix), auditCheckpointsTopic(prefix)]);
  const topics = (await admin.listTopics()).filter((t) => wanted.has(t));
  if (topics.length === 0) return;
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  const drifted = resources.filter((r) => Object.keys(topicConfigDrift(r.configEntries)).length > 0);
  if (drifted.length > 0) {
    // AlterConfigs replaces all of a topic's overrides: keep the other ones it has (kafkajs has no incremental alter).
    const policy = eventTopicConfigEntries();
    const kept = (r: (typeof drifted)[number]): { name: string; value: string }[] =>
      r.configEntries
        .filter(
          (c) => !c.isDefault && !c.readOnly && !c.isSensitive && c.configValue !== null && !policy.some((p) => p.name === c.configName),
        )
        .map((c) => ({ name: c.configName, value: c.configValue ?? '' }));
    await admin.alterConfigs({
      validateOnly: false,
      resources: drifted.map((r) => ({ type: ConfigResourceTypes.TOPIC, name: r.resourceName, configEntries: [...kept(r), ...policy] })),
    });
    log(
      `retention policy (kept for ever, no compaction) applied to ${drifted.length} existing topic(s): ${drifted.map((r) => r.resourceName).join(', ')}`,
    );
  }
}

async function topics(): Promise<void> {
  const { admin, prefix } = adminConnection();
  await admin.connect();
  try {
    await applyTopicPolicy(admin, prefix);
  } finally {
    await admin.disconnect();
  }
}

async function createAcls(): Promise<void> {
  const { admin, prefix } = adminConnection();
  const bindings = kafkaAclBindings(FORCE_CODES, prefix);
  await admin.connect();
  try {
    await admin.createAcls({ acl: bindings.map(toKafkajsAcl) });
    // Binding creation is applied through the metadata log: wait until the authorizer lists every binding.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { resources } = await admin.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      const listed = new Set(
        resources.flatMap((r) =>
          r.acls.map((a) => `${a.principal}|${r.resourceType}|${r.resourceName}|${r.resourcePatternType}|${a.operation}`),
        ),
      );
      const missing = bindings
        .map(toKafkajsAcl)
        .filter((a) => !listed.has(`${a.principal}|${a.resourceType}|${a.resourceName}|${a.resourcePatternType}|${a.operation}`));
      if (missing.length === 0) break;
      if (Date.now() > deadline)
        throw new Error(`the broker lists ${bindings.length - missing.length} of ${bindings.length} ACL bindings after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    log(`${bindings.length} ACL bindings for ${FORCE_CODES.length} forces (topic prefix ${prefix})`);
    await applyTopicPolicy(admin, prefix);
  } finally {
    await admin.disconnect();
  }
}

const [command, arg] = process.argv.slice(2);
try {
  if (command === 'principals') process.stdout.write(`${kafkaPrincipals(FORCE_CODES).join('\n')}\n`);
  else if (command === 'credentials' && arg) ensureCredentials(arg);
  else if (command === 'acls') await createAcls();
  else if (command === 'topics') await topics();
  else {
    log('usage: provision.js principals | credentials <file> | acls | topics');
    process.exitCode = 2;
  }
} catch (error) {
  log(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
