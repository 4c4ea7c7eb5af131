// One image payload checked before it is forwarded: real base64, not empty, a JPEG/PNG/GIF/WebP by its bytes,
// within Anthropic's size limit. A wrong declared type is corrected (the bytes decide) and reported as a note.
import { invalidRequest } from '../errors.ts';
import { MAX_IMAGE_BASE64_CHARS, canonicalBase64, leadingBytes, sniffImageType, type ImageMediaType } from './image-bytes.ts';

export interface CheckedImage {
  mediaType: ImageMediaType;
  base64: string;
  /** Set when the declared media type was wrong and has been corrected. */
  note?: string;
}

export function checkImagePayload(declared: string, payload: string, path: string): CheckedImage {
  const base64 = canonicalBase64(payload);
  if (base64 === undefined) throw invalidRequest(`${path}: the image data is not valid base64`, path, 'invalid_image');
  if (base64 === '') throw invalidRequest(`${path}: the image data is empty`, path, 'invalid_image');
  if (base64.length > MAX_IMAGE_BASE64_CHARS) {
    const mb = (base64.length / (1024 * 1024)).toFixed(1);
    throw invalidRequest(`${path}: the image is ${mb} MB as base64; Anthropic accepts at most 5 MB per image`, path, 'image_too_large');
  }
  const actual = sniffImageType(leadingBytes(base64));
  if (!actual) throw invalidRequest(`${path}: the data is not a JPEG, PNG, GIF or WebP image`, path, 'invalid_image');
  const label = declared.toLowerCase() === 'image/jpg' ? 'image/jpeg' : declared.toLowerCase();
  if (label === actual) return { mediaType: actual, base64 };
  const shown = label.replace(/[^\x20-\x7e]/g, '?').slice(0, 40) || 'no type';
  return { mediaType: actual, base64, note: `${path} declared ${shown} but holds ${actual}, sent as ${actual}` };
}
