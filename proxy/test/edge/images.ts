// Tiny payloads that start like each image type Anthropic accepts (signatures only, padded to whole groups).
const bytes = (...values: Array<number | string>) =>
  Buffer.concat(values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from([v])))).toString('base64');

export const IMAGES = {
  'image/png': bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d),
  'image/jpeg': bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF', 0, 1, 1),
  'image/gif': bytes('GIF89a', 1, 0, 1, 0, 0, 0),
  'image/webp': bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '),
} as const;
