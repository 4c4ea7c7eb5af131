// Shape checks for `system`, `messages` and every content block, with the API's wording.
//
// From the Messages API reference and the errors real clients report: roles are user / assistant (plus
// "system" entries on models with mid-conversation system messages); every message needs non-empty
// content except an optional final assistant message; text blocks must be non-empty and hold some
// non-whitespace text; unknown fields are refused ("Extra inputs are not permitted"); block types are a
// closed set.
import { invalid } from './api-error.ts';
import type { FakeModel } from './models.ts';

const BLOCK_KEYS: Record<string, readonly string[]> = {
  text: ['type', 'text', 'cache_control', 'citations'],
  image: ['type', 'source', 'cache_control', 'transformations'],
  document: ['type', 'source', 'cache_control', 'citations', 'context', 'title'],
  search_result: ['type', 'content', 'source', 'title', 'cache_control', 'citations'],
  thinking: ['type', 'thinking', 'signature'],
  redacted_thinking: ['type', 'data'],
  tool_use: ['type', 'id', 'input', 'name', 'cache_control', 'caller', 'toolset_name'],
  tool_result: ['type', 'tool_use_id', 'cache_control', 'content', 'is_error', 'toolset_name'],
};

/** Server-side tool blocks are passed through with only their type checked. */
const LOOSE_BLOCK_TYPES = [
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'container_upload',
];

const MESSAGE_BLOCK_TYPES = [...Object.keys(BLOCK_KEYS), ...LOOSE_BLOCK_TYPES];
const TOOL_RESULT_CONTENT_TYPES = ['text', 'image', 'search_result', 'document', 'tool_reference'];
const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const ID_PATTERN = /^[a-zA-Z0-9_-]+$/;

const quoteList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tagError(path: string, tag: unknown, expected: readonly string[]) {
  return invalid(`${path}: Input tag '${String(tag)}' found using 'type' does not match any of the expected tags: ${quoteList(expected)}`);
}

function checkKeys(block: Record<string, unknown>, path: string): void {
  const allowed = BLOCK_KEYS[block.type as string];
  if (!allowed) return;
  for (const key of Object.keys(block)) {
    if (!allowed.includes(key)) throw invalid(`${path}.${block.type}.${key}: Extra inputs are not permitted`);
  }
}

export function checkCacheControl(value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) throw invalid(`${path}.cache_control: Input should be a valid dictionary`);
  if (value.type !== 'ephemeral') throw invalid(`${path}.cache_control.type: Input should be 'ephemeral'`);
  if (value.ttl !== undefined && value.ttl !== null && value.ttl !== '5m' && value.ttl !== '1h') {
    throw invalid(`${path}.cache_control.ttl: Input should be '5m' or '1h'`);
  }
  for (const key of Object.keys(value)) {
    if (key !== 'type' && key !== 'ttl') throw invalid(`${path}.cache_control.${key}: Extra inputs are not permitted`);
  }
}

/** `where` names the array in the aggregate text errors ("messages" or "system"). */
function checkText(block: Record<string, any>, path: string, where: string): void {
  if (typeof block.text !== 'string') {
    throw invalid(block.text === undefined ? `${path}.text.text: Field required` : `${path}.text.text: Input should be a valid string`);
  }
  if (block.text.length === 0) throw invalid(`${where}: text content blocks must be non-empty`);
  if (block.text.trim().length === 0) throw invalid(`${where}: text content blocks must contain non-whitespace text`);
}

function checkImage(block: Record<string, any>, path: string): void {
  const source = block.source;
  if (!isObject(source)) throw invalid(source === undefined ? `${path}.image.source: Field required` : `${path}.image.source: Input should be a valid dictionary`);
  const at = `${path}.image.source`;
  if (source.type === 'base64') {
    if (!IMAGE_MEDIA_TYPES.includes(source.media_type)) {
      throw invalid(`${at}.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`);
    }
    if (typeof source.data !== 'string') throw invalid(`${at}.base64.data: Field required`);
    checkImageBytes(source.data, source.media_type, at);
  } else if (source.type === 'url') {
    if (typeof source.url !== 'string') throw invalid(`${at}.url.url: Field required`);
  } else if (source.type === 'file') {
    if (typeof source.file_id !== 'string') throw invalid(`${at}.file.file_id: Field required`);
  } else {
    throw tagError(at, source.type, ['base64', 'url', 'file']);
  }
}

// "Vision": at most 5 MB per image; the API decodes the data and refuses an image whose bytes are not the
// declared media type (the common client bug of a PNG labelled image/jpeg).
const MAX_IMAGE_BASE64 = 5 * 1024 * 1024;
const SIGNATURES: Array<[string, (b: Buffer) => boolean]> = [
  ['image/png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1'))],
  ['image/webp', (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP'],
];

function checkImageBytes(data: string, mediaType: string, at: string): void {
  if (data.length > MAX_IMAGE_BASE64) throw invalid(`${at}.base64: image exceeds 5 MB maximum: ${data.length} bytes > ${MAX_IMAGE_BASE64} bytes`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) throw invalid(`${at}.base64.data: Invalid base64 data`);
  if (data.length === 0) throw invalid(`${at}.base64.data: Image data is empty`);
  const actual = SIGNATURES.find(([, matches]) => matches(Buffer.from(data.slice(0, 16), 'base64')))?.[0];
  if (!actual) throw invalid(`${at}.base64.data: Could not process image`);
  if (actual !== mediaType) {
    throw invalid(`${at}.base64.media_type: The image was specified using the ${mediaType} media type, but the image appears to be a ${actual} image`);
  }
}

function checkToolUse(block: Record<string, any>, path: string): void {
  if (typeof block.id !== 'string') throw invalid(`${path}.tool_use.id: Field required`);
  if (!ID_PATTERN.test(block.id)) throw invalid(`${path}.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`);
  if (typeof block.name !== 'string') throw invalid(`${path}.tool_use.name: Field required`);
  if (!isObject(block.input)) {
    throw invalid(block.input === undefined ? `${path}.tool_use.input: Field required` : `${path}.tool_use.input: Input should be a valid dictionary`);
  }
}

function checkToolResult(block: Record<string, any>, path: string): void {
  if (typeof block.tool_use_id !== 'string') throw invalid(`${path}.tool_result.tool_use_id: Field required`);
  if (!ID_PATTERN.test(block.tool_use_id)) {
    throw invalid(`${path}.tool_result.tool_use_id: String should match pattern '^[a-zA-Z0-9_-]+$'`);
  }
  if (block.is_error !== undefined && block.is_error !== null && typeof block.is_error !== 'boolean') {
    throw invalid(`${path}.tool_result.is_error: Input should be a valid boolean`);
  }
  const content = block.content;
  if (content === undefined || content === null || typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalid(`${path}.tool_result.content: Input should be a valid string`);
  content.forEach((inner: unknown, i: number) => {
    const at = `${path}.tool_result.content.${i}`;
    if (!isObject(inner)) throw invalid(`${at}: Input should be a valid dictionary`);
    if (!TOOL_RESULT_CONTENT_TYPES.includes(inner.type)) throw tagError(at, inner.type, TOOL_RESULT_CONTENT_TYPES);
    checkKeys(inner, at);
    checkCacheControl(inner.cache_control, `${at}.${inner.type}`);
    if (inner.type === 'text') checkText(inner, at, 'messages');
    if (inner.type === 'image') checkImage(inner, at);
  });
}

function checkThinkingBlock(block: Record<string, any>, path: string): void {
  if (block.type === 'thinking') {
    if (typeof block.thinking !== 'string') throw invalid(`${path}.thinking.thinking: Field required`);
    if (typeof block.signature !== 'string') throw invalid(`${path}.thinking.signature: Field required`);
  } else if (typeof block.data !== 'string') {
    throw invalid(`${path}.redacted_thinking.data: Field required`);
  }
}

export function checkBlock(block: unknown, path: string): void {
  if (!isObject(block)) throw invalid(`${path}: Input should be a valid dictionary`);
  if (!MESSAGE_BLOCK_TYPES.includes(block.type)) throw tagError(path, block.type, MESSAGE_BLOCK_TYPES);
  checkKeys(block, path);
  if ('cache_control' in block) checkCacheControl(block.cache_control, `${path}.${block.type}`);
  switch (block.type) {
    case 'text':
      return checkText(block, path, 'messages');
    case 'image':
      return checkImage(block, path);
    case 'document':
      if (!isObject(block.source)) throw invalid(`${path}.document.source: Field required`);
      return;
    case 'tool_use':
      return checkToolUse(block, path);
    case 'tool_result':
      return checkToolResult(block, path);
    case 'thinking':
    case 'redacted_thinking':
      return checkThinkingBlock(block, path);
  }
}

export function checkSystem(system: unknown): void {
  if (system === undefined || system === null || typeof system === 'string') return;
  if (!Array.isArray(system)) throw invalid('system: Input should be a valid string');
  system.forEach((block: unknown, i: number) => {
    const path = `system.${i}`;
    if (!isObject(block)) throw invalid(`${path}: Input should be a valid dictionary`);
    if (block.type !== 'text') throw invalid(`${path}.type: Input should be 'text'`);
    checkKeys(block, path);
    checkCacheControl(block.cache_control, `${path}.text`);
    checkText(block, path, 'system');
  });
}

function roleError(index: number, role: unknown, model: FakeModel) {
  if (role === 'system') {
    return invalid(
      'messages: Unexpected role "system". The Messages API accepts a top-level `system` parameter, not "system" as an input message role.',
    );
  }
  const allowed = model.systemMessages ? "'user', 'assistant' or 'system'" : "'user' or 'assistant'";
  return invalid(`messages.${index}.role: Input should be ${allowed}`);
}

export function checkMessages(messages: unknown, model: FakeModel): asserts messages is any[] {
  if (messages === undefined) throw invalid('messages: Field required');
  if (!Array.isArray(messages)) throw invalid('messages: Input should be a valid list');
  if (messages.length === 0) throw invalid('messages: at least one message is required');
  if (messages.length > 100_000) throw invalid('messages: List should have at most 100000 items after validation');
  messages.forEach((message: unknown, m: number) => {
    const path = `messages.${m}`;
    if (!isObject(message)) throw invalid(`${path}: Input should be a valid dictionary`);
    const { role, content } = message;
    const systemOk = role === 'system' && model.systemMessages;
    if (role !== 'user' && role !== 'assistant' && !systemOk) throw roleError(m, role, model);
    for (const key of Object.keys(message)) {
      if (key !== 'role' && key !== 'content') throw invalid(`${path}.${key}: Extra inputs are not permitted`);
    }
    if (content === undefined) throw invalid(`${path}.content: Field required`);
    const finalAssistant = role === 'assistant' && m === messages.length - 1;
    if (typeof content === 'string') {
      if (content.length === 0 && !finalAssistant) {
        throw invalid(`${path}: all messages must have non-empty content except for the optional final assistant message`);
      }
      if (content.length > 0 && content.trim().length === 0 && !finalAssistant) {
        throw invalid('messages: text content blocks must contain non-whitespace text');
      }
      return;
    }
    if (!Array.isArray(content)) throw invalid(`${path}.content: Input should be a valid string`);
    if (content.length === 0 && !finalAssistant) {
      throw invalid(`${path}: all messages must have non-empty content except for the optional final assistant message`);
    }
    content.forEach((block: unknown, b: number) => {
      if (systemOk && (!isObject(block) || block.type !== 'text')) throw invalid(`${path}.content.${b}.type: Input should be 'text'`);
      checkBlock(block, `${path}.content.${b}`);
    });
  });
}
