/**
 * The national scope. Almost every stream belongs to one of the 43 forces (metadata.force is its force code),
 * but a few hold national reference data that no force owns and every force reads: today only the operating
 * model's published versions (stream `operating-model`), authored by the national team. Their events carry
 * `metadata.force === NATIONAL`, the event store keeps such a stream to the national scope like any force's,
 * and the relay publishes them to the national topic (topics.ts), never to a force's.
 *
 * Which event types are national is declared in the catalogue (CatalogueEntry.scope); validation refuses a
 * national event with a force code and a force's event with `national`.
 */
export const NATIONAL = 'national';
export type National = typeof NATIONAL;
