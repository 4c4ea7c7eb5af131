// Validates a Messages (or count_tokens) request as strictly as the API does, in roughly its order:
// field shapes first, then model rules, then rules spanning messages, then prompt size.
//
// Facts used here (platform.claude.com: Messages API reference, "Prompt caching" > "Pre-warming the
// cache", the models migration guides, and the API's own error messages as clients report them):
// - unknown model -> 404 not_found_error "model: <id>"; max_tokens above the model's output limit -> 400
//   "max_tokens: N > M, which is the maximum allowed number of output tokens for <id>"
// - max_tokens 0 pre-warms the cache; it is refused with stream, manual thinking, structured output or a
//   forced tool_choice
// - Opus 4.7 and later refuse temperature / top_p / top_k outright; the 4.5-4.6 generation refuses
//   temperature together with top_p; with thinking, temperature may only be 1
// - 4.6 and later refuse a conversation that ends with an assistant turn (no prefill); on older models the
//   prefill may not end in whitespace
// - API version 2026-10-21 ("Migrating to API version 2026-10-21") removes temperature / top_p / top_k
//   (refused even at their defaults, as unknown fields), refuses document blocks placed directly in an
//   assistant message, and refuses text blocks with a non-empty citations array in a user message
//   (directly or inside a search_result); these rules cover count_tokens too
// - top_p must be above 0 (a 0 is refused); metadata.user_id is a string of at most 256 characters
import { ApiError, invalid } from './api-error.ts';
import { checkThinkingHistory, checkToolPairing } from './history.ts';
import { findModel, type FakeModel } from './models.ts';
import { buildPromptLayout, contentBlocks, type PromptLayout } from './prompt-layout.ts';
import { applyBinding, prefixDigests, type InputTransformation } from './preserved-thinking.ts';
import { originOf, resolveThinking, validateEffort, type EffectiveThinking } from './thinking.ts';
import { checkMessages, checkSystem } from './validate-content.ts';
import { checkToolChoice, checkTools } from './validate-tools.ts';

export type RequestKind = 'create' | 'count_tokens';

export interface ValidRequest {
  body: any;
  model: FakeModel;
  thinking: EffectiveThinking;
  layout: PromptLayout;
  toolNames: string[];
  /** The digest of the whole request: what the thinking blocks of this response are bound to. */
  binding: string;
  /** Thinking blocks the binding checks removed; present when the request carried the binding beta. */
  transformations?: InputTransformation[];
}

const COMMON_KEYS = [
  'model',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'thinking',
  'cache_control',
  'output_config',
  'speed',
  'context_management',
  'mcp_servers',
];
const SAMPLING_KEYS = ['temperature', 'top_p', 'top_k'];
const CREATE_KEYS_2026 = new Set([
  ...COMMON_KEYS,
  'max_tokens',
  'stop_sequences',
  'stream',
  'metadata',
  'service_tier',
  'container',
  'diagnostics',
  'inference_geo',
  'fallbacks',
]);
const CREATE_KEYS_2023 = new Set([...CREATE_KEYS_2026, ...SAMPLING_KEYS]);
const COUNT_KEYS = new Set(COMMON_KEYS);

/** The API versions whose request shape still has sampling parameters. */
export const LEGACY_VERSIONS = new Set(['2023-01-01', '2023-06-01']);

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKnownKeys(body: Record<string, unknown>, kind: RequestKind, legacy: boolean): void {
  const allowed = kind === 'count_tokens' ? COUNT_KEYS : legacy ? CREATE_KEYS_2023 : CREATE_KEYS_2026;
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) throw invalid(`${key}: Extra inputs are not permitted`);
  }
}

function resolveModel(body: Record<string, any>): FakeModel {
  if (body.model === undefined) throw invalid('model: Field required');
  if (typeof body.model !== 'string') throw invalid('model: Input should be a valid string');
  const model = findModel(body.model);
  if (!model) throw new ApiError(404, `model: ${body.model}`);
  return model;
}

function checkMaxTokens(body: Record<string, any>, model: FakeModel): void {
  const value = body.max_tokens;
  if (value === undefined) throw invalid('max_tokens: Field required');
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid('max_tokens: Input should be a valid integer');
  if (value < 0) throw invalid('max_tokens: Input should be greater than or equal to 0');
  if (value > model.maxOutput) {
    throw invalid(`max_tokens: ${value} > ${model.maxOutput}, which is the maximum allowed number of output tokens for ${model.id}`);
  }
}

function checkNumberRange(body: Record<string, any>, key: string, max: number, integer = false): void {
  const value = body[key];
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || (integer && !Number.isInteger(value))) {
    throw invalid(`${key}: Input should be a valid ${integer ? 'integer' : 'number'}`);
  }
  if (value < 0) throw invalid(`${key}: Input should be greater than or equal to 0`);
  if (value > max) throw invalid(`${key}: Input should be less than or equal to ${max}`);
}

function checkSampling(body: Record<string, any>, model: FakeModel, thinking: EffectiveThinking): void {
  checkNumberRange(body, 'temperature', 1);
  checkNumberRange(body, 'top_p', 1);
  if (body.top_p === 0) throw invalid('top_p: Input should be greater than 0');
  checkNumberRange(body, 'top_k', Number.MAX_SAFE_INTEGER, true);
  const set = (key: string) => body[key] !== undefined && body[key] !== null;
  if (model.sampling === 'deprecated') {
    for (const key of ['temperature', 'top_p', 'top_k']) {
      if (set(key)) throw invalid(`\`${key}\` is deprecated for this model.`);
    }
    return;
  }
  if (set('temperature') && set('top_p')) {
    throw invalid('`temperature` and `top_p` cannot both be specified for this model. Please use only one.');
  }
  if (thinking.on && thinking.explicit && set('temperature') && body.temperature !== 1) {
    throw invalid(
      '`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility',
    );
  }
}

function checkOtherParams(body: Record<string, any>): void {
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw invalid('stream: Input should be a valid boolean');
  const stops = body.stop_sequences;
  if (stops !== undefined && stops !== null) {
    if (!Array.isArray(stops)) throw invalid('stop_sequences: Input should be a valid list');
    stops.forEach((s: unknown, i: number) => {
      if (typeof s !== 'string') throw invalid(`stop_sequences.${i}: Input should be a valid string`);
    });
  }
  if (body.metadata !== undefined && body.metadata !== null) {
    if (!isObject(body.metadata)) throw invalid('metadata: Input should be a valid dictionary');
    for (const key of Object.keys(body.metadata)) {
      if (key !== 'user_id') throw invalid(`metadata.${key}: Extra inputs are not permitted`);
    }
    const userId = body.metadata.user_id;
    if (userId !== undefined && userId !== null && typeof userId !== 'string') throw invalid('metadata.user_id: Input should be a valid string');
    if (typeof userId === 'string' && userId.length > 256) throw invalid('metadata.user_id: String should have at most 256 characters');
  }
  if (body.service_tier !== undefined && body.service_tier !== 'auto' && body.service_tier !== 'standard_only') {
    throw invalid("service_tier: Input should be 'auto' or 'standard_only'");
  }
  if (body.speed !== undefined && body.speed !== null && body.speed !== 'standard' && body.speed !== 'fast') {
    throw invalid("speed: Input should be 'standard' or 'fast'");
  }
  if (body.output_config !== undefined && !isObject(body.output_config)) throw invalid('output_config: Input should be a valid dictionary');
  const format = body.output_config?.format;
  if (format !== undefined && format !== null && (format.type !== 'json_schema' || !isObject(format.schema))) {
    throw invalid('output_config.format: Input should be a valid JSON output format with a `schema` object');
  }
  validateEffort(body);
}

/** The pre-warm limits from "Pre-warming the cache". */
function checkZeroMaxTokens(body: Record<string, any>, thinking: EffectiveThinking): void {
  if (body.max_tokens !== 0) return;
  const refuse = (what: string) => invalid(`max_tokens: 0 cannot be combined with ${what}.`);
  if (body.stream === true) throw refuse('`stream: true`');
  if (thinking.mode === 'enabled') throw refuse('`thinking.type: "enabled"`');
  if (body.output_config?.format) throw refuse('`output_config.format`');
  if (body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool') throw refuse(`\`tool_choice\` of type "${body.tool_choice.type}"`);
}

function checkPrefill(messages: any[], model: FakeModel): void {
  const last = messages[messages.length - 1];
  if (last.role !== 'assistant') return;
  if (!model.prefill) {
    throw invalid('This model does not support assistant message prefill. The conversation must end with a user message.');
  }
  const blocks = contentBlocks(last.content);
  const tail = blocks[blocks.length - 1];
  if (tail?.type === 'text' && /\s$/.test(tail.text)) throw invalid('final assistant content cannot end with trailing whitespace');
}

/** The two content rules API version 2026-10-21 added. */
function checkVersion2026Content(messages: any[]): void {
  messages.forEach((message, m) => {
    contentBlocks(message.content).forEach((block, b) => {
      if (message.role === 'assistant' && block.type === 'document') {
        throw invalid(`messages.${m}.content.${b}: \`document\` blocks are not supported in \`assistant\` messages.`);
      }
      if (message.role !== 'user') return;
      const texts = block.type === 'text' ? [block] : block.type === 'search_result' && Array.isArray(block.content) ? block.content : [];
      if (texts.some((t: any) => Array.isArray(t?.citations) && t.citations.length > 0)) {
        throw invalid(`messages.${m}.content.${b}: \`citations\` are not supported on text blocks in \`user\` messages.`);
      }
    });
  });
}

/** Throws ApiError for anything the real API would refuse; returns what the rest of the fake needs. */
export function validateRequest(
  body: unknown,
  kind: RequestKind,
  scope: string,
  apiVersion = '2026-10-21',
  betas: ReadonlySet<string> = new Set(),
): ValidRequest {
  if (!isObject(body)) throw invalid('Request body must be a JSON object.');
  const legacy = LEGACY_VERSIONS.has(apiVersion);
  checkKnownKeys(body, kind, legacy);
  const model = resolveModel(body);
  if (kind === 'create') checkMaxTokens(body, model);
  checkMessages(body.messages, model);
  if (!legacy) checkVersion2026Content(body.messages);
  checkSystem(body.system);
  const toolNames = checkTools(body.tools);
  checkToolChoice(body.tool_choice, Array.isArray(body.tools) && body.tools.length > 0);
  checkOtherParams(body);
  const thinking = resolveThinking(body, model);
  if (kind === 'create') {
    checkSampling(body, model, thinking);
    checkZeroMaxTokens(body, thinking);
  }
  checkToolPairing(body.messages);
  checkThinkingHistory(body.messages, thinking);
  if (kind === 'create') checkPrefill(body.messages, model);
  // What the model sees: the request without the thinking blocks the binding checks removed.
  const bound = applyBinding(body, model.id, betas, originOf);
  const layout = buildPromptLayout({ ...body, messages: bound.messages }, thinking, `${model.id}\0${scope}`);
  if (layout.totalTokens > model.contextWindow) {
    throw invalid(`prompt is too long: ${layout.totalTokens} tokens > ${model.contextWindow} maximum`);
  }
  const binding = prefixDigests(body).at(-1)!;
  return { body, model, thinking, layout, toolNames, binding, ...(bound.transformations && { transformations: bound.transformations }) };
}
