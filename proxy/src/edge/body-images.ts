// Every inline image of an OpenAI-shaped body (Chat `messages`, Responses `input`), wherever clients put one:
// `image_url` and `input_image` parts, Anthropic-shaped `image` blocks, image files, and the same inside tool
// results. Each is checked (image-check.ts) and, when its declared type was wrong, corrected in place. Paths
// name the client's own fields: `messages[3].content[1].image_url`.
import { invalidRequest } from '../errors.ts';
import { checkImagePayload } from './image-check.ts';

type Part = Record<string, unknown>;

const isPart = (value: unknown): value is Part => typeof value === 'object' && value !== null && !Array.isArray(value);
const DATA_URL = /^data:([^,]*?),/s;

/** Checks and corrects the body's inline images; returns a note per correction. Throws a 400 on a bad image. */
export function checkBodyImages(body: unknown): string[] {
  const notes: string[] = [];
  if (!isPart(body)) return notes;
  for (const field of ['messages', 'input'] as const) {
    const items = body[field];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      if (isPart(item)) checkContent(item.content, `${field}[${i}].content`, notes);
    });
  }
  return notes;
}

function checkContent(content: unknown, path: string, notes: string[]): void {
  if (!Array.isArray(content)) return;
  content.forEach((part, j) => {
    if (!isPart(part)) return;
    const at = `${path}[${j}]`;
    checkPart(part, at, notes);
    // Tool results carry their own content arrays (Anthropic-shaped tool_result blocks).
    if (part.type === 'tool_result') checkContent(part.content, `${at}.content`, notes);
  });
}

function checkPart(part: Part, path: string, notes: string[]): void {
  if (part.type === 'image_url' || part.type === 'input_image') {
    const holder = isPart(part.image_url) ? part.image_url : part;
    const field = isPart(part.image_url) ? 'url' : 'image_url';
    const url = holder[field];
    if (typeof url === 'string') holder[field] = checkedDataUrl(url, `${path}.image_url`, notes) ?? url;
  } else if (part.type === 'image') {
    checkImageBlock(part, path, notes);
  } else if (part.type === 'file' && isPart(part.file) && typeof part.file.file_data === 'string') {
    const data = part.file.file_data;
    if (/^data:image\//i.test(data)) part.file.file_data = checkedDataUrl(data, `${path}.file.file_data`, notes) ?? data;
  }
}

/** Anthropic-shaped image blocks: a base64, url or file source, each with what Anthropic requires of it. */
function checkImageBlock(part: Part, path: string, notes: string[]): void {
  const source = part.source;
  const at = `${path}.source`;
  if (!isPart(source)) throw invalidRequest(`${at} must be an object`, at, 'invalid_image');
  if (source.type === 'url') {
    if (typeof source.url !== 'string' || !/^https?:\/\//i.test(source.url)) throw invalidRequest(`${at}.url must be an http(s) URL`, `${at}.url`, 'invalid_image');
  } else if (source.type === 'file') {
    if (typeof source.file_id !== 'string' || source.file_id === '') throw invalidRequest(`${at}.file_id must be a file id`, `${at}.file_id`, 'invalid_image');
  } else if (source.type === 'base64') {
    const checked = checkImagePayload(String(source.media_type ?? ''), typeof source.data === 'string' ? source.data : '', `${at}.data`);
    source.media_type = checked.mediaType;
    source.data = checked.base64;
    if (checked.note) notes.push(checked.note);
  } else {
    throw invalidRequest(`${at}.type must be 'base64', 'url' or 'file'`, `${at}.type`, 'invalid_image');
  }
}

/** A corrected base64 data URL, or undefined when nothing needs changing (http(s) URLs pass untouched). */
function checkedDataUrl(url: string, path: string, notes: string[]): string | undefined {
  const match = DATA_URL.exec(url);
  if (!match) return undefined;
  const meta = match[1]!.split(';').map((s) => s.trim());
  const isBase64 = meta.slice(1).some((p) => p.toLowerCase() === 'base64');
  let payload = url.slice(match[0].length);
  if (!isBase64) {
    try {
      payload = Buffer.from(decodeURIComponent(payload), 'latin1').toString('base64');
    } catch {
      throw invalidRequest(`${path}: the data URL is not validly percent-encoded`, path, 'invalid_image');
    }
  }
  const checked = checkImagePayload(meta[0] ?? '', payload, path);
  if (checked.note) notes.push(checked.note);
  // A payload that was already right is left as it came: no copy of a multi-megabyte string.
  if (!checked.note && isBase64 && checked.base64 === payload) return undefined;
  return `data:${checked.mediaType};base64,${checked.base64}`;
}
