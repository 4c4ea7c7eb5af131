// Any body a client sends to /chat/completions → one loose but checked `ChatRequest`.
// Accepted: plain Chat Completions; the Anthropic-shaped pieces Cursor sends for Claude models (top-level
// `system`, tool_use/tool_result blocks, `input_schema` tools, cache_control); Responses-API bodies (`input`,
// `instructions`, `max_output_tokens`, `text.format`, flat and custom tools); and mixtures. Unknown top-level
// fields are dropped here, so nothing downstream depends on them.
import { invalidRequest } from '../errors.ts';
import type { ChatMessage, ChatRequest, ChatTool } from './openai-types.ts';
import { given, isRecord } from './json-values.ts';
import {
  booleanField,
  effortField,
  nField,
  numberIn,
  positiveInteger,
  reasoningField,
  responseFormatField,
  stopField,
  thinkingField,
} from './normalize-fields.ts';
import { normalizeItems } from './normalize-messages.ts';
import { normalizeContent } from './normalize-parts.ts';
import type { ItemContext } from './responses/input-items.ts';

/** `items` opens reasoning items and collects notes; the Responses endpoint passes it, chat clients need not. */
export function normalizeChatRequest(body: unknown, items: ItemContext = {}): ChatRequest {
  if (!isRecord(body)) throw invalidRequest('The request body must be a JSON object', null);
  const model = body.model;
  if (typeof model !== 'string' || model.trim() === '') throw invalidRequest('model must be a non-empty string', 'model');

  const req: ChatRequest = { model, messages: conversation(body, items) };

  const stream = booleanField(body.stream, 'stream');
  if (stream !== undefined) req.stream = stream;
  if (isRecord(body.stream_options)) {
    const includeUsage = booleanField(body.stream_options.include_usage, 'stream_options.include_usage');
    req.stream_options = includeUsage === undefined ? {} : { include_usage: includeUsage };
  }

  const maxTokens = positiveInteger(body.max_tokens, 'max_tokens');
  if (maxTokens !== undefined) req.max_tokens = maxTokens;
  const maxCompletion = positiveInteger(body.max_completion_tokens, 'max_completion_tokens');
  const maxOutput = positiveInteger(body.max_output_tokens, 'max_output_tokens');
  if (maxCompletion !== undefined || maxOutput !== undefined) req.max_completion_tokens = maxCompletion ?? maxOutput;

  const temperature = numberIn(body.temperature, 'temperature', 0, 2);
  if (temperature !== undefined) req.temperature = temperature;
  const topP = numberIn(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) req.top_p = topP;
  const topK = positiveInteger(body.top_k, 'top_k');
  if (topK !== undefined) req.top_k = topK;
  const stop = stopField(body.stop);
  if (stop !== undefined) req.stop = stop;
  const n = nField(body.n);
  if (n !== undefined) req.n = n;

  if (given(body.tools)) req.tools = objectArray(body.tools, 'tools') as ChatTool[];
  if (given(body.functions)) req.functions = objectArray(body.functions, 'functions') as ChatRequest['functions'];
  if (given(body.tool_choice)) req.tool_choice = body.tool_choice;
  if (given(body.function_call)) req.function_call = body.function_call;
  const parallel = booleanField(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) req.parallel_tool_calls = parallel;

  const responseFormat = responseFormatField(body);
  if (responseFormat) req.response_format = responseFormat;

  const effort = effortField(body.reasoning_effort, 'reasoning_effort');
  if (effort) req.reasoning_effort = effort;
  const reasoning = reasoningField(body.reasoning);
  if (reasoning) req.reasoning = reasoning;
  const thinking = thinkingField(body.thinking);
  if (thinking) req.thinking = thinking;

  if (typeof body.user === 'string' && body.user !== '') req.user = body.user;
  if (given(body.prompt_cache_key)) {
    if (typeof body.prompt_cache_key !== 'string') throw invalidRequest('prompt_cache_key must be a string', 'prompt_cache_key');
    if (body.prompt_cache_key !== '') req.prompt_cache_key = body.prompt_cache_key;
  }
  if (isRecord(body.metadata)) req.metadata = body.metadata;

  const logprobs = booleanField(body.logprobs, 'logprobs');
  if (logprobs !== undefined) req.logprobs = logprobs;
  const topLogprobs = numberIn(body.top_logprobs, 'top_logprobs', 0, 20);
  if (topLogprobs !== undefined) req.top_logprobs = topLogprobs;
  const presence = numberIn(body.presence_penalty, 'presence_penalty', -2, 2);
  if (presence !== undefined) req.presence_penalty = presence;
  const frequency = numberIn(body.frequency_penalty, 'frequency_penalty', -2, 2);
  if (frequency !== undefined) req.frequency_penalty = frequency;
  return req;
}

/** Top-level `system` and `instructions` lead, then `messages` (or, without them, the Responses `input`). */
function conversation(body: Record<string, unknown>, ctx: ItemContext): ChatMessage[] {
  const lead: ChatMessage[] = [];
  if (given(body.system)) lead.push({ role: 'system', content: normalizeContent(body.system, 'system') });
  if (typeof body.instructions === 'string' && body.instructions !== '') {
    lead.push({ role: 'system', content: body.instructions });
  }

  let items: ChatMessage[];
  if (given(body.messages)) {
    if (!Array.isArray(body.messages)) throw invalidRequest('messages must be an array', 'messages');
    items = normalizeItems(body.messages, 'messages', ctx);
  } else if (typeof body.input === 'string') {
    items = body.input === '' ? [] : [{ role: 'user', content: body.input }];
  } else if (Array.isArray(body.input)) {
    items = normalizeItems(body.input, 'input', ctx);
  } else {
    items = [];
  }
  if (items.length === 0) throw invalidRequest('messages must be a non-empty array', 'messages');
  return [...lead, ...items];
}

function objectArray(value: unknown, field: string): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw invalidRequest(`${field} must be an array`, field);
  value.forEach((entry, i) => {
    if (!isRecord(entry)) throw invalidRequest(`${field}[${i}] must be an object`, `${field}[${i}]`);
  });
  return value as Record<string, unknown>[];
}
