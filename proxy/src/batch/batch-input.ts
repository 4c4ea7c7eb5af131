// What a batch is made of, from either way a client sends it: JSON (`{requests: [...]}` whose entries are
// chat-completion bodies or `{custom_id, body}`), or OpenAI's batch JSONL (one `{custom_id, method, url, body}`
// per line, uploaded directly or as a /v1/files file). Pure; a malformed batch is a 400 naming the line.
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../edge/json-depth.ts';
import { invalidRequest } from '../errors.ts';

export interface BatchItemInput {
  customId: string;
  /** The chat-completion request, as the client wrote it. */
  body: unknown;
}

export interface BatchRequestOptions {
  metadata: Record<string, string> | null;
  completionWindow: string;
}

/** Anthropic's own limit for one Message Batch. */
export const MAX_BATCH_ITEMS = 100_000;
const CHAT_URLS = new Set(['/v1/chat/completions', '/chat/completions']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkCount(items: readonly BatchItemInput[], field: string): void {
  if (items.length === 0) throw invalidRequest('A batch needs at least one request.', field);
  if (items.length > MAX_BATCH_ITEMS) throw invalidRequest(`A batch holds at most ${MAX_BATCH_ITEMS} requests; this one has ${items.length}.`, field);
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.customId)) throw invalidRequest(`custom_id '${item.customId}' is used twice; each request needs its own.`, field);
    seen.add(item.customId);
  }
}

/** One entry of a JSON batch: `{custom_id?, body}`, `{custom_id, method, url, body}`, or the chat body itself. */
function entryOf(entry: unknown, i: number, path: string): BatchItemInput {
  if (!isRecord(entry)) throw invalidRequest(`${path}[${i}] must be an object`, `${path}[${i}]`);
  const customId = entry.custom_id;
  if (customId !== undefined && (typeof customId !== 'string' || customId === '' || customId.length > 512)) {
    throw invalidRequest(`${path}[${i}].custom_id must be a non-empty string of at most 512 characters`, `${path}[${i}].custom_id`);
  }
  if (entry.url !== undefined && (typeof entry.url !== 'string' || !CHAT_URLS.has(entry.url))) {
    throw invalidRequest(`${path}[${i}].url must be /v1/chat/completions`, `${path}[${i}].url`);
  }
  const wrapped = isRecord(entry.body);
  return { customId: (customId as string | undefined) ?? `request-${i + 1}`, body: wrapped ? entry.body : withoutBatchFields(entry) };
}

function withoutBatchFields(entry: Record<string, unknown>): Record<string, unknown> {
  const { custom_id: _id, method: _m, url: _u, ...body } = entry;
  return body;
}

export function itemsFromJson(body: unknown): { items: BatchItemInput[]; options: BatchRequestOptions } {
  const list = Array.isArray(body) ? body : isRecord(body) ? (body.requests ?? body.input) : undefined;
  if (!Array.isArray(list)) throw invalidRequest('The body must be {"requests": [...]} (chat-completion requests), a JSON array of them, or OpenAI batch JSONL.', 'requests');
  const items = list.map((entry, i) => entryOf(entry, i, 'requests'));
  checkCount(items, 'requests');
  return { items, options: optionsOf(isRecord(body) ? body : {}) };
}

export function optionsOf(body: Record<string, unknown>): BatchRequestOptions {
  const metadata = body.metadata;
  if (metadata !== undefined && metadata !== null) {
    if (!isRecord(metadata) || Object.values(metadata).some((v) => typeof v !== 'string')) {
      throw invalidRequest('metadata must be an object of string values', 'metadata');
    }
    if (Object.keys(metadata).length > 16) throw invalidRequest('metadata holds at most 16 keys', 'metadata');
  }
  const window = body.completion_window ?? '24h';
  if (window !== '24h') throw invalidRequest("completion_window must be '24h'", 'completion_window');
  return { metadata: isRecord(metadata) ? (metadata as Record<string, string>) : null, completionWindow: '24h' };
}

/** OpenAI's batch input format: one JSON object per line. */
export function itemsFromJsonl(text: string): BatchItemInput[] {
  const items: BatchItemInput[] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    if (line.trim() === '') return;
    // Lines are parsed here, not by the body parser: the same depth limit applies to each.
    if (nestsDeeperThan(line)) throw invalidRequest(`line ${n + 1} of the batch input nests more than ${MAX_JSON_DEPTH} levels deep`, 'file');
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw invalidRequest(`line ${n + 1} of the batch input is not valid JSON`, 'file');
    }
    if (!isRecord(parsed) || typeof parsed.custom_id !== 'string' || parsed.custom_id === '') {
      throw invalidRequest(`line ${n + 1}: custom_id must be a non-empty string`, 'file');
    }
    if (parsed.method !== undefined && parsed.method !== 'POST') throw invalidRequest(`line ${n + 1}: method must be POST`, 'file');
    if (typeof parsed.url !== 'string' || !CHAT_URLS.has(parsed.url)) throw invalidRequest(`line ${n + 1}: url must be /v1/chat/completions`, 'file');
    if (!isRecord(parsed.body)) throw invalidRequest(`line ${n + 1}: body must be a chat-completion request object`, 'file');
    items.push({ customId: parsed.custom_id, body: parsed.body });
  });
  checkCount(items, 'file');
  return items;
}
