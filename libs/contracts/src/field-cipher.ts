/**
 * The field cipher of personal data (ADR 0011), shared by the backbone (its event store encrypts and decrypts with it)
 * and the event package @nom-backbone/events (integrators decrypt with it, ADR 0033): AES-256-GCM, `nom-enc:v1:` tokens.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ENCRYPTED_PREFIX, isEncryptedToken, personalFieldAad } from './personal-data.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

/** A token that does not decrypt under the key given: tampered, moved to another event or field, or another key. */
export class PersonalFieldDecryptionError extends Error {
  override readonly name = 'PersonalFieldDecryptionError';
  constructor(
    readonly eventId: string,
    readonly pointer: string,
  ) {
    super(`personal field ${pointer} of event ${eventId} does not decrypt (tampered, moved or wrong key)`);
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== DATA_KEY_BYTES) throw new Error(`a data key is ${DATA_KEY_BYTES} bytes, got ${key.length}`);
}

/** Encrypts one personal field's JSON value into a `nom-enc:v1:` token bound to (event id, pointer). */
export function encryptField(key: Buffer, eventId: string, pointer: string, value: unknown): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(personalFieldAad(eventId, pointer));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ENCRYPTED_PREFIX + Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
}

/** The JSON value a token holds; throws PersonalFieldDecryptionError when it is not authentic for this field. */
export function decryptField(key: Buffer, eventId: string, pointer: string, token: string): unknown {
  assertKey(key);
  if (!isEncryptedToken(token)) throw new PersonalFieldDecryptionError(eventId, pointer);
  const raw = Buffer.from(token.slice(ENCRYPTED_PREFIX.length), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES + 1) throw new PersonalFieldDecryptionError(eventId, pointer);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(personalFieldAad(eventId, pointer));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const plaintext = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    return JSON.parse(plaintext.toString('utf8')) as unknown;
  } catch {
    throw new PersonalFieldDecryptionError(eventId, pointer);
  }
}

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}
