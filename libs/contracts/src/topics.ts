/**
 * Kafka topic names: one topic per force (a force code from forces.csv), carrying every event of that
 * force's streams (record key = stream id). Integrators subscribe to their own force's topic only.
 */
export function forceTopic(force: string, prefix = 'nom'): string {
  return `${prefix}.force.${force}.events`;
}
