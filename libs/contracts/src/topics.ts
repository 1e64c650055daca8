import type { ForceCode } from './forces.js';

/**
 * Kafka topic names: one topic per force, carrying every event of that force's streams (record key = stream
 * id). Integrators subscribe to their own force's topic only.
 */
export function forceTopic(force: ForceCode | string, prefix = 'nom'): string {
  return `${prefix}.force.${force}.events`;
}
