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
