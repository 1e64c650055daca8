// The field cipher lives with the contracts, so that the event package integrators install decrypts with the same
// code the event store encrypts with (ADR 0033).
export { DATA_KEY_BYTES, decryptField, encryptField, newDataKey, PersonalFieldDecryptionError } from '#contracts';
