import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Wraps (encrypts) data keys under a key-encryption key. The port lets a KMS (AWS KMS, Azure Key Vault, an
 * HSM) replace the local KEK with no change elsewhere: only wrapped keys are ever stored.
 */
export interface KeyWrapper {
  /** Identifies the KEK a key was wrapped with (stored beside the wrapped key, for rotation). */
  readonly kekId: string;
  wrap(dataKey: Buffer, subjectId: string): Promise<Buffer>;
  unwrap(wrapped: Buffer, subjectId: string, kekId: string): Promise<Buffer>;
}

/** The KEK is not 32 bytes of base64, or a key was wrapped under another KEK. */
export class KeyWrapperError extends Error {
  override readonly name = 'KeyWrapperError';
}

/**
 * A local KEK (config `NOM_KEK`: 32 random bytes, base64): AES-256-GCM, the subject id as additional data so a
 * wrapped key cannot be swapped onto another subject's row. `kekId` is a fingerprint of the KEK, never the KEK.
 */
export class LocalKeyWrapper implements KeyWrapper {
  readonly kekId: string;

  private constructor(private readonly kek: Buffer) {
    this.kekId = `local:${createHash('sha256').update('nom-kek-id').update(kek).digest('hex').slice(0, 16)}`;
  }

  static fromBase64(kekBase64: string): LocalKeyWrapper {
    const kek = Buffer.from(kekBase64, 'base64');
    if (kek.length !== 32 || kek.toString('base64') !== kekBase64.trim()) {
      throw new KeyWrapperError('the key-encryption key (NOM_KEK) must be 32 bytes, base64 encoded (e.g. `openssl rand -base64 32`)');
    }
    return new LocalKeyWrapper(kek);
  }

  /** A fresh random KEK, base64 (tests, the quick start's first run). */
  static generateKek(): string {
    return randomBytes(32).toString('base64');
  }

  wrap(dataKey: Buffer, subjectId: string): Promise<Buffer> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.kek, iv);
    cipher.setAAD(Buffer.from(`nom-key|${subjectId}`, 'utf8'));
    return Promise.resolve(Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]));
  }

  unwrap(wrapped: Buffer, subjectId: string, kekId: string): Promise<Buffer> {
    if (kekId !== this.kekId)
      return Promise.reject(new KeyWrapperError(`key of ${subjectId} is wrapped under KEK ${kekId}, this process holds ${this.kekId}`));
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.kek, wrapped.subarray(0, 12));
      decipher.setAAD(Buffer.from(`nom-key|${subjectId}`, 'utf8'));
      decipher.setAuthTag(wrapped.subarray(wrapped.length - 16));
      return Promise.resolve(Buffer.concat([decipher.update(wrapped.subarray(12, wrapped.length - 16)), decipher.final()]));
    } catch {
      return Promise.reject(new KeyWrapperError(`wrapped key of ${subjectId} does not unwrap (tampered or wrong KEK)`));
    }
  }
}
