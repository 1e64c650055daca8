import { createHash } from 'node:crypto';

/**
 * A UUID (version-4 layout) derived from its parts by SHA-256: the same parts give the same id. Used where a
 * retry must produce the very same ids (idempotent commands, process managers, demo data).
 */
export function deterministicUuid(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
