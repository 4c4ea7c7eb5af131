// Which image a payload really is, read from its first bytes. Anthropic accepts JPEG, PNG, GIF and WebP and
// refuses an image whose declared media type does not match its bytes; clients often label one as another.

export type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

/** Anthropic's limit on one base64 image ("Vision": 5 MB per image sent through the API). */
export const MAX_IMAGE_BASE64_CHARS = 5 * 1024 * 1024;

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const GIF87 = ascii('GIF87a');
const GIF89 = ascii('GIF89a');
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');

/** The image type the bytes start with, or undefined when they are none of the four. */
export function sniffImageType(bytes: Uint8Array): ImageMediaType | undefined {
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89)) return 'image/gif';
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'image/webp';
  return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Standard base64 with its padding restored, or undefined when the text is not base64 at all. */
export function canonicalBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return undefined;
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return undefined;
  return unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
}

/** The first bytes of a base64 payload, decoded without decoding the whole of it. */
export function leadingBytes(base64: string, count = 16): Uint8Array {
  const chars = Math.ceil(count / 3) * 4;
  return Buffer.from(base64.slice(0, chars), 'base64');
}
