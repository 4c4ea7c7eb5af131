// A Responses API request body → the gateway's Chat Completions form (which toAnthropicRequest translates)
// plus what only the Responses answer needs (store, include, namespaces, the fields the response echoes).
// Only the Responses fields are read; anything else in the body is ignored, as the API ignores nothing but
// the gateway has no use for it. A wrong value is a 400 naming the field.
import { invalidRequest } from '../../errors.ts';
import { given, isRecord } from '../json-values.ts';
import { booleanField, effortField } from '../normalize-fields.ts';
import { normalizeChatRequest } from '../normalize.ts';
import type { ChatRequest } from '../openai-types.ts';
import type { ItemContext } from './input-items.ts';
import { flattenNamespaces, flattenToolChoice, type NamespacedNames } from './tool-names.ts';

export const ENCRYPTED_REASONING = 'reasoning.encrypted_content';
const SUMMARY_MODES = ['auto', 'concise', 'detailed'] as const;

export interface ResponsesOptions {
  store: boolean;
  /** The client asked for reasoning items' `encrypted_content`. */
  includeEncryptedReasoning: boolean;
  previousResponseId?: string;
  namespaced: NamespacedNames;
  promptCacheKey?: string;
  /** Echoed on the response object as the client sent them. */
  echo: ResponseEcho;
}

export interface ResponseEcho {
  instructions: string | null;
  tools: unknown[];
  tool_choice: unknown;
  parallel_tool_calls: boolean;
  temperature: number | null;
  top_p: number | null;
  max_output_tokens: number | null;
  metadata: Record<string, string>;
  reasoning: { effort: string | null; summary: string | null };
  text: Record<string, unknown>;
  user?: string;
  safety_identifier?: string;
  prompt_cache_key?: string;
}

export interface NormalizedResponsesRequest {
  chat: ChatRequest;
  options: ResponsesOptions;
  /** Items the request added to the conversation, as sent (what input_items lists). */
  input: unknown[];
}

/** `earlier` is the stored conversation `previous_response_id` continues: its input and output items. */
export function normalizeResponsesRequest(body: unknown, items: ItemContext, earlier: readonly unknown[] = []): NormalizedResponsesRequest {
  if (!isRecord(body)) throw invalidRequest('The request body must be a JSON object', null);
  rejectUnsupported(body);
  const input = inputItems(body.input);
  const reasoning = reasoningOf(body.reasoning);
  const flat = Array.isArray(body.tools) ? flattenNamespaces(objects(body.tools, 'tools')) : undefined;
  if (given(body.tools) && !flat) throw invalidRequest('tools must be an array', 'tools');
  const user = stringField(body.safety_identifier, 'safety_identifier') ?? stringField(body.user, 'user');

  const chatBody: Record<string, unknown> = {
    model: body.model,
    input: [...earlier, ...input],
    ...pick(body, ['instructions', 'tool_choice', 'parallel_tool_calls', 'max_output_tokens', 'temperature', 'top_p', 'text', 'stream', 'top_logprobs']),
    ...(flat && { tools: flat.tools }),
    ...(given(body.tool_choice) && { tool_choice: flattenToolChoice(body.tool_choice, flat) }),
    ...(reasoning.chat && { reasoning: reasoning.chat }),
    ...(user && { user }),
  };
  if (given(body.instructions) && typeof body.instructions !== 'string') throw invalidRequest('instructions must be a string', 'instructions');
  if ((chatBody.input as unknown[]).length === 0) throw invalidRequest('input must not be empty', 'input');
  const chat = normalizeChatRequest(chatBody, items);
  if (isRecord(body.metadata)) chat.metadata = body.metadata;

  const store = booleanField(body.store, 'store') ?? true;
  const previousResponseId = stringField(body.previous_response_id, 'previous_response_id');
  const promptCacheKey = stringField(body.prompt_cache_key, 'prompt_cache_key');
  return {
    chat,
    input,
    options: {
      store,
      includeEncryptedReasoning: includeList(body.include).includes(ENCRYPTED_REASONING),
      ...(previousResponseId && { previousResponseId }),
      ...(promptCacheKey && { promptCacheKey }),
      namespaced: flat?.namespaced ?? new Map(),
      echo: echoOf(body, chat, reasoning.echo, promptCacheKey),
    },
  };
}

function rejectUnsupported(body: Record<string, unknown>): void {
  if (body.background === true) throw invalidRequest('background responses are not supported by this gateway', 'background');
  if (given(body.conversation)) throw invalidRequest('conversation objects are not supported; use previous_response_id', 'conversation');
  if (given(body.prompt)) throw invalidRequest('stored prompt templates are not supported; send instructions and input', 'prompt');
}

function inputItems(value: unknown): unknown[] {
  if (!given(value)) return [];
  if (typeof value === 'string') return value === '' ? [] : [{ type: 'message', role: 'user', content: value }];
  if (!Array.isArray(value)) throw invalidRequest('input must be a string or an array of items', 'input');
  return value;
}

/** `reasoning.summary` asks to see the reasoning, so Claude thinks (unless effort is `none`). */
function reasoningOf(value: unknown): { chat?: Record<string, unknown>; echo: ResponseEcho['reasoning'] } {
  if (!given(value)) return { echo: { effort: null, summary: null } };
  if (!isRecord(value)) throw invalidRequest('reasoning must be an object', 'reasoning');
  const effort = effortField(value.effort, 'reasoning.effort');
  const summary = value.summary ?? value.generate_summary;
  if (given(summary) && !(SUMMARY_MODES as readonly unknown[]).includes(summary)) {
    throw invalidRequest(`reasoning.summary must be one of ${SUMMARY_MODES.join(', ')}`, 'reasoning.summary');
  }
  const chat: Record<string, unknown> = {};
  if (effort) chat.effort = effort;
  if (given(summary) && effort !== 'none') chat.enabled = true;
  return { chat, echo: { effort: effort ?? null, summary: (summary as string | undefined) ?? null } };
}

function includeList(value: unknown): string[] {
  if (!given(value)) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalidRequest('include must be an array of strings', 'include');
  return value;
}

function echoOf(body: Record<string, unknown>, chat: ChatRequest, reasoning: ResponseEcho['reasoning'], cacheKey?: string): ResponseEcho {
  return {
    instructions: typeof body.instructions === 'string' ? body.instructions : null,
    tools: Array.isArray(body.tools) ? body.tools : [],
    tool_choice: given(body.tool_choice) ? body.tool_choice : 'auto',
    parallel_tool_calls: chat.parallel_tool_calls ?? true,
    temperature: chat.temperature ?? null,
    top_p: chat.top_p ?? null,
    max_output_tokens: chat.max_completion_tokens ?? null,
    metadata: stringRecord(body.metadata),
    reasoning,
    text: isRecord(body.text) ? body.text : { format: { type: 'text' } },
    ...(typeof body.user === 'string' && { user: body.user }),
    ...(typeof body.safety_identifier === 'string' && { safety_identifier: body.safety_identifier }),
    ...(cacheKey && { prompt_cache_key: cacheKey }),
  };
}

function stringRecord(value: unknown): Record<string, string> {
  if (!given(value)) return {};
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw invalidRequest('metadata must be an object of string values', 'metadata');
  }
  return value as Record<string, string>;
}

function stringField(value: unknown, field: string): string | undefined {
  if (!given(value)) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${field} must be a string`, field);
  return value === '' ? undefined : value;
}

function objects(value: unknown[], field: string): Record<string, unknown>[] {
  value.forEach((entry, i) => {
    if (!isRecord(entry)) throw invalidRequest(`${field}[${i}] must be an object`, `${field}[${i}]`);
  });
  return value as Record<string, unknown>[];
}

function pick(body: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => given(body[k])).map((k) => [k, body[k]]));
}
