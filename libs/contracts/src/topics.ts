import { NATIONAL } from './scope.js';

/**
 * Kafka topic names: one topic per force (a force code from forces.csv), carrying every event of that
 * force's streams (record key = stream id). Integrators subscribe to their own force's topic only.
 */
export function forceTopic(force: string, prefix = 'nom'): string {
  return `${prefix}.force.${force}.events`;
}

/**
 * The one national topic: events of national streams (metadata.force `national`, e.g. the operating model's
 * published versions), reference data every force may consume. Force projectors never subscribe to it.
 */
export function nationalTopic(prefix = 'nom'): string {
  return `${prefix}.${NATIONAL}.events`;
}

/** The topic an event of the given owner (metadata.force: a force code or `national`) is published on. */
export function topicOf(force: string, prefix = 'nom'): string {
  return force === NATIONAL ? nationalTopic(prefix) : forceTopic(force, prefix);
}

/**
 * The sealer's signed checkpoints of the event log and the access log (ADR 0023), published outside the database so
 * that every force keeps copies the national operator cannot rewrite. Record key = the log's name; value = the
 * checkpoint as JSON (`{log, type, position, hash, signedAt, keyId, signature}`). Every force principal may read it.
 */
export function auditCheckpointsTopic(prefix = 'nom'): string {
  return `${prefix}.audit.checkpoints`;
}
