import { ENCRYPTED_PREFIX, ERASED, isEncryptedToken } from '#contracts';
import { decryptField, encryptField, KeyWrapperError, LocalKeyWrapper, newDataKey, PersonalFieldDecryptionError } from '../src/index.js';

const eventId = '5d8e2f10-3c4b-4a69-9e7f-0a1b2c3d4e5f';

describe('personal field cipher (AES-256-GCM, AAD = event id + field)', () => {
  const key = newDataKey();

  it('round-trips any JSON value, as a self-describing token with no trace of the clear value', () => {
    for (const value of ['Jane Doe', ['curfew 19:00-07:00', 'not to contact Jane Doe'], { name: 'A', phone: '07700 900123' }, 42]) {
      const token = encryptField(key, eventId, '/name', value);
      expect(token.startsWith(ENCRYPTED_PREFIX)).toBe(true);
      expect(isEncryptedToken(token)).toBe(true);
      expect(token).not.toContain('Jane');
      expect(decryptField(key, eventId, '/name', token)).toEqual(value);
    }
  });

  it('encrypts the same value differently each time (random IV)', () => {
    expect(encryptField(key, eventId, '/name', 'Jane Doe')).not.toBe(encryptField(key, eventId, '/name', 'Jane Doe'));
  });

  it('refuses a tampered token (any byte changed)', () => {
    const token = encryptField(key, eventId, '/name', 'Jane Doe');
    const raw = Buffer.from(token.slice(ENCRYPTED_PREFIX.length), 'base64url');
    for (const index of [0, 13, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[index] = bad[index]! ^ 0x01;
      expect(() => decryptField(key, eventId, '/name', ENCRYPTED_PREFIX + bad.toString('base64url'))).toThrow(PersonalFieldDecryptionError);
    }
    expect(() => decryptField(key, eventId, '/name', `${ENCRYPTED_PREFIX}AAAA`)).toThrow(PersonalFieldDecryptionError);
  });

  it('refuses a token moved to another event or another field (AAD mismatch), or read with another key', () => {
    const token = encryptField(key, eventId, '/name', 'Jane Doe');
    expect(() => decryptField(key, '6e9f3a21-4d5c-4b7a-8f80-1b2c3d4e5f60', '/name', token)).toThrow(PersonalFieldDecryptionError);
    expect(() => decryptField(key, eventId, '/pncId', token)).toThrow(PersonalFieldDecryptionError);
    expect(() => decryptField(newDataKey(), eventId, '/name', token)).toThrow(PersonalFieldDecryptionError);
  });

  it('never takes the erased marker or a clear value for a token', () => {
    expect(isEncryptedToken(ERASED)).toBe(false);
    expect(() => decryptField(key, eventId, '/name', ERASED)).toThrow(PersonalFieldDecryptionError);
  });
});

describe('local key wrapper (the KEK)', () => {
  it('wraps and unwraps a data key bound to its subject, and only under the same KEK', async () => {
    const wrapper = LocalKeyWrapper.fromBase64(LocalKeyWrapper.generateKek());
    const dataKey = newDataKey();
    const wrapped = await wrapper.wrap(dataKey, 'victim-1');
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(await wrapper.unwrap(wrapped, 'victim-1', wrapper.kekId)).toEqual(dataKey);
    await expect(wrapper.unwrap(wrapped, 'victim-2', wrapper.kekId)).rejects.toThrow(KeyWrapperError);
    const other = LocalKeyWrapper.fromBase64(LocalKeyWrapper.generateKek());
    await expect(other.unwrap(wrapped, 'victim-1', wrapper.kekId)).rejects.toThrow(KeyWrapperError);
  });

  it('refuses a KEK that is not 32 bytes of base64', () => {
    expect(() => LocalKeyWrapper.fromBase64('c2hvcnQ=')).toThrow(KeyWrapperError);
    expect(() => LocalKeyWrapper.fromBase64('not base64 at all!')).toThrow(KeyWrapperError);
  });
});
