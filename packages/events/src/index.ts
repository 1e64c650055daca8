/**
 * @nom-backbone/events (ADR 0033): the backbone's contracts as integrators need them, compiled from the very source the
 * backbone runs (libs/contracts), so the two cannot drift. Nothing of NestJS, TypeORM or the rest of the backbone:
 *
 * - the catalogue: `EVENT_CATALOGUE` (every event type and version, its JSON Schema, personal fields, example), the
 *   type constants (`CaseEventTypes`, ...) and the TypeScript data types of each event;
 * - `fromKafkaRecord` (the CloudEvents 1.0 Kafka binary-mode decoder) and `UndecodableRecordError`;
 * - `decryptField`, `personalFieldsOf`, `isEncryptedToken`: personal fields (`nom-enc:v1:` tokens, AES-256-GCM);
 * - `validateEvent`, `servedSchema`, `upcast`: validation, the schemas as served, superseded versions made current.
 */
export * from '../../../libs/contracts/src/index.js';
