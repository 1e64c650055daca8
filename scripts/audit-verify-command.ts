import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  ACCESS_LOG,
  EVENT_LOG,
  parseWitness,
  pemFrom,
  publicKeyFromPem,
  verifyLog,
  type PublishedCheckpoint,
  type VerifyLogResult,
  type WitnessOptions,
} from '#audit';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import { kafkaSasl, kafkaTls, readTopicToEnd } from '#messaging';
import type { BackboneConfig } from '#platform';

/** The verifier's Kafka connection (a force's principal): KAFKA_BROKERS, KAFKA_SASL_MECHANISM, KAFKA_USERNAME, KAFKA_PASSWORD. */
export interface WitnessKafka {
  readonly brokers: readonly string[];
  readonly sasl?: SASLOptions;
  /** The principal (its consumer groups are named after it); none with OAUTHBEARER. */
  readonly principal?: string;
  readonly ssl: boolean | ConnectionOptions;
}

export function witnessKafkaOf(config: BackboneConfig): WitnessKafka {
  return {
    brokers: config.kafkaBrokers ?? [],
    ...(config.kafkaSasl ? { sasl: kafkaSasl(config.kafkaSasl) } : {}),
    ...(config.kafkaSasl && 'username' in config.kafkaSasl ? { principal: config.kafkaSasl.username } : {}),
    ssl: kafkaTls({ ssl: config.kafkaSsl, ...(config.kafkaSslCaFile ? { caFile: config.kafkaSslCaFile } : {}) }),
  };
}

/** What `audit verify` (`npm run audit:verify`, `nom audit verify`) is asked to do. */
export interface AuditVerifyOptions {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly auditSchema: string;
  /** The checkpoints' public key: PEM, or a path to one. */
  readonly publicKey: string;
  readonly batchSize: number;
  /** A file of kept checkpoints (JSON array, the checkpoints endpoint's answer, or JSON Lines). */
  readonly witnessFile?: string;
  /** The checkpoints topic, read to its end as the configured Kafka principal (a force's). */
  readonly witnessTopic?: string;
  readonly witnessGroup?: string;
  /** The Kafka connection of the process (KAFKA_BROKERS, KAFKA_SASL_*, KAFKA_SSL). */
  readonly kafka?: WitnessKafka;
  readonly maxHeadAgeMs?: number;
  /** The verifier's clock (default: now). */
  readonly now?: Date;
}

/** `90s`, `15m`, `2h`, `1d`, or milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,12})(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text} (e.g. 90s, 15m, 2h, 1d, or milliseconds)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

async function keptCheckpoints(o: AuditVerifyOptions): Promise<PublishedCheckpoint[] | undefined> {
  if (o.witnessFile === undefined && o.witnessTopic === undefined) return undefined;
  const kept: PublishedCheckpoint[] = o.witnessFile === undefined ? [] : parseWitness(readFileSync(o.witnessFile, 'utf8'));
  if (o.witnessTopic !== undefined) {
    const kafka = o.kafka;
    if (!kafka || kafka.brokers.length === 0) {
      throw new Error('--witness-topic needs KAFKA_BROKERS (and the force principal in KAFKA_USERNAME/KAFKA_PASSWORD)');
    }
    const groupId = o.witnessGroup ?? `${kafka.principal ?? 'nom'}.audit-witness.${randomUUID()}`;
    const messages = await readTopicToEnd(o.witnessTopic, {
      brokers: kafka.brokers,
      groupId,
      clientId: 'nom-audit-verify',
      ...(kafka.sasl ? { sasl: kafka.sasl } : {}),
      ...(kafka.ssl ? { ssl: true } : {}),
    });
    kept.push(...parseWitness(messages.flatMap((m) => (m.value === null ? [] : [m.value])).join('\n')));
  }
  return kept;
}

/**
 * Verifies both sealed logs (ADR 0009, ADR 0012), against kept checkpoints and a maximum head age when given
 * (ADR 0023). Exit code 0: both intact; 1: a finding in either (each log's first finding is in the report).
 */
export async function auditVerify(o: AuditVerifyOptions): Promise<{ exitCode: 0 | 1; report: Record<string, unknown> }> {
  const publicKey = publicKeyFromPem(pemFrom(o.publicKey));
  const checkpoints = await keptCheckpoints(o);
  const now = o.now;
  const witness: WitnessOptions | undefined =
    checkpoints === undefined && o.maxHeadAgeMs === undefined
      ? undefined
      : {
          checkpoints: checkpoints ?? [],
          ...(o.maxHeadAgeMs !== undefined ? { maxHeadAgeMs: o.maxHeadAgeMs } : {}),
          ...(now ? { now: () => now } : {}),
        };
  const common = { connectionString: o.databaseUrl, publicKey, batchSize: o.batchSize, ...(witness ? { witness } : {}) };
  const eventLog: VerifyLogResult = await verifyLog({ ...common, schema: o.schema, log: EVENT_LOG });
  const accessLog: VerifyLogResult = await verifyLog({ ...common, schema: o.auditSchema, log: ACCESS_LOG });
  const intact = eventLog.intact && accessLog.intact;
  return {
    exitCode: intact ? 0 : 1,
    report: {
      intact,
      ...(checkpoints ? { witness: { checkpoints: checkpoints.length } } : {}),
      eventLog: { schema: o.schema, ...eventLog },
      accessLog: { schema: o.auditSchema, ...accessLog },
    },
  };
}
