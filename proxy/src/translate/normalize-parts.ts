// Content parts arrive in three dialects (Chat Completions, Responses, Anthropic). This brings them to one small
// set so the translator handles each kind once: text, image_url, file, plus Anthropic blocks passed through.
import { invalidRequest } from '../errors.ts';
import type { ChatContentPart } from './openai-types.ts';
import { isRecord } from './json-values.ts';

/** Anthropic blocks a client may already send in its own shape (Cursor does for Claude models). */
const ANTHROPIC_BLOCKS = new Set(['image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking']);

export type CacheControl = { type: 'ephemeral'; ttl?: '5m' | '1h' };

/** A breakpoint marker exactly as Anthropic accepts it, or undefined for anything else. */
export function cacheControlOf(value: unknown): CacheControl | undefined {
  if (!isRecord(value) || value.type !== 'ephemeral') return undefined;
  if (value.ttl === '5m' || value.ttl === '1h') return { type: 'ephemeral', ttl: value.ttl };
  return { type: 'ephemeral' };
}

export function normalizeContent(content: unknown, path: string): string | ChatContentPart[] | null {
  if (content === undefined || content === null) return null;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw invalidRequest(`${path} must be a string or an array of content parts`, path);
  return content.map((part, j) => normalizePart(part, `${path}[${j}]`));
}

export function normalizePart(part: unknown, path: string): ChatContentPart {
  if (typeof part === 'string') return { type: 'text', text: part };
  if (!isRecord(part) || typeof part.type !== 'string') {
    throw invalidRequest(`${path} must be an object with a string 'type'`, path);
  }
  const out = convertPart(part, path);
  const cache = cacheControlOf(part.cache_control);
  if (cache && !ANTHROPIC_BLOCKS.has(out.type)) out.cache_control = cache;
  return out;
}

function convertPart(part: Record<string, unknown>, path: string): ChatContentPart {
  switch (part.type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: requireString(part.text, `${path}.text`) };
    case 'refusal':
      return { type: 'text', text: requireString(part.refusal, `${path}.refusal`) };
    case 'image_url':
      return imagePart(part.image_url, `${path}.image_url`);
    case 'input_image':
      if (part.image_url === undefined || part.image_url === null) rejectFileId(part, path);
      return imagePart(part.image_url, `${path}.image_url`, part.detail);
    case 'file':
      return filePart(isRecord(part.file) ? part.file : {}, `${path}.file`);
    case 'input_file':
      return filePart(part, path);
    default:
      if (ANTHROPIC_BLOCKS.has(part.type as string)) return { ...part } as ChatContentPart;
      throw invalidRequest(`${path}.type '${String(part.type)}' is not supported`, `${path}.type`);
  }
}

function imagePart(value: unknown, path: string, detail?: unknown): ChatContentPart {
  const url = typeof value === 'string' ? value : isRecord(value) ? value.url : undefined;
  if (typeof url !== 'string' || url === '') throw invalidRequest(`${path} must carry an image URL`, path);
  const givenDetail = isRecord(value) ? value.detail : detail;
  const image: { url: string; detail?: string } = { url };
  if (typeof givenDetail === 'string') image.detail = givenDetail;
  return { type: 'image_url', image_url: image };
}

function filePart(file: Record<string, unknown>, path: string): ChatContentPart {
  const data = typeof file.file_data === 'string' && file.file_data !== '' ? file.file_data : undefined;
  const url = typeof file.file_url === 'string' && file.file_url !== '' ? file.file_url : undefined;
  if (!data && !url) rejectFileId(file, path);
  const out: { file_data?: string; file_url?: string; filename?: string } = {};
  if (data) out.file_data = data;
  if (url) out.file_url = url;
  if (typeof file.filename === 'string' && file.filename !== '') out.filename = file.filename;
  return { type: 'file', file: out };
}

function rejectFileId(part: Record<string, unknown>, path: string): never {
  if (typeof part.file_id === 'string') {
    throw invalidRequest(`${path}.file_id: uploaded file ids are not supported; send the content inline as a data URL`, `${path}.file_id`);
  }
  throw invalidRequest(`${path} carries no content`, path);
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalidRequest(`${path} must be a string`, path);
  return value;
}
