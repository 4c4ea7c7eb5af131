// A normalized Chat Completions request → Anthropic Messages params, fitted to the target model.
// Pure and deterministic: the same request always gives byte-identical JSON (fixed key order, ids derived from
// positions, no clock), because prompt caching needs the prefix to repeat exactly.
import type {
  MessageCreateParams,
  MessageCreateParamsBase,
  MessageParam,
  OutputConfig,
  TextBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { createHash } from 'node:crypto';
import { invalidRequest } from '../errors.ts';
import type { ModelCapabilities } from '../models/catalog.ts';
import { Adjustments } from './adjustments.ts';
import { messagesToTurns, type ToolUseOrigin } from './conversation.ts';
import type { ChatRequest } from './openai-types.ts';
import { translateResponseFormat } from './response-format.ts';
import { translateSampling, type Sampling } from './sampling.ts';
import { leadingSystemCount, systemBlocks } from './system-prompt.ts';
import type { ThinkingLookup } from './thinking.ts';
import { planThinking } from './thinking-options.ts';
import { translateToolChoice } from './tool-choice.ts';
import { repairToolPairing } from './tool-pairing.ts';
import { translateTools } from './tools.ts';
import { mergeTurns, restoreThinking, trimTrailingAssistant } from './turns.ts';

export interface TranslateRequestOptions {
  /** Resolved upstream Anthropic model id (already routed). */
  model: string;
  capabilities: ModelCapabilities;
  lookupThinking?: ThinkingLookup;
}

export interface TranslatedRequest {
  params: MessageCreateParams;
  /** What was changed to fit the model: one short ASCII line each. */
  adjustments: string[];
  /** stream_options.include_usage */
  includeUsage: boolean;
  /** Tools declared as free-text custom tools: their calls go back with the raw text in `arguments`. */
  customToolNames: string[];
  /** anthropic-beta values the request needs upstream (set once its thinking is fitted). */
  betas?: string[];
}

/** The params with sampling fields, which the SDK types no longer list but older models still accept. */
type Params = Omit<MessageCreateParamsBase, 'stream'> & Sampling & { stream: boolean };

export function toAnthropicRequest(req: ChatRequest, opts: TranslateRequestOptions): TranslatedRequest {
  const caps = opts.capabilities;
  const notes = new Adjustments();

  const tools = translateTools(req, notes);
  const plan = planThinking(req, caps, notes);
  const format = translateResponseFormat(req, caps, notes);

  const lead = leadingSystemCount(req.messages);
  const system: TextBlockParam[] = systemBlocks(req.messages, lead);
  if (format.systemInstruction) system.push({ type: 'text', text: format.systemInstruction });

  const origins = new WeakMap<ToolUseBlockParam, ToolUseOrigin>();
  const context = { caps, notes, customToolNames: new Set(tools.customToolNames), origins };
  const turns = mergeTurns(repairToolPairing(mergeTurns(messagesToTurns(req.messages, lead, context)), context));
  restoreThinking(turns, opts.lookupThinking, origins);
  trimTrailingAssistant(turns);
  if (turns.length === 0) throw invalidRequest('messages contain nothing to send besides system instructions', 'messages');

  const toolChoice = translateToolChoice(req, { toolNames: tools.names, thinking: plan.active, modelId: caps.id, notes });
  const sampling = translateSampling(req, caps, plan.active, notes);
  const stopSequences = stopSequencesOf(req.stop, notes);
  noteIgnoredFields(req, notes);

  const outputConfig: OutputConfig = {};
  if (plan.effort) outputConfig.effort = plan.effort;
  if (format.format) outputConfig.format = format.format;

  const params: Params = {
    model: opts.model,
    max_tokens: plan.maxTokens,
    ...(system.length > 0 ? { system } : {}),
    messages: turns.map((t) => ({ role: t.role, content: t.content }) as MessageParam),
    ...(tools.tools.length > 0 ? { tools: tools.tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...(plan.thinking ? { thinking: plan.thinking } : {}),
    ...(Object.keys(outputConfig).length > 0 ? { output_config: outputConfig } : {}),
    ...sampling,
    ...(stopSequences.length > 0 ? { stop_sequences: stopSequences } : {}),
    ...(req.user ? { metadata: { user_id: userIdFor(req.user, notes) } } : {}),
    stream: req.stream === true,
  };

  return {
    params: params as MessageCreateParams,
    adjustments: notes.list(),
    includeUsage: req.stream_options?.include_usage === true,
    customToolNames: tools.customToolNames,
  };
}

/** Anthropic rejects stop sequences made only of whitespace. */
function stopSequencesOf(stop: ChatRequest['stop'], notes: Adjustments): string[] {
  if (stop === undefined || stop === null) return [];
  const list = typeof stop === 'string' ? [stop] : stop;
  return list.filter((s) => {
    if (s.trim() !== '') return true;
    notes.add(`stop sequence ${JSON.stringify(s)} dropped (whitespace-only stop sequences are not accepted)`);
    return false;
  });
}

function noteIgnoredFields(req: ChatRequest, notes: Adjustments): void {
  if (req.logprobs === true || (req.top_logprobs ?? 0) > 0) notes.add('logprobs ignored (not available from Anthropic)');
  if ((req.presence_penalty ?? 0) !== 0) notes.add('presence_penalty ignored (Anthropic has no equivalent)');
  if ((req.frequency_penalty ?? 0) !== 0) notes.add('frequency_penalty ignored (Anthropic has no equivalent)');
}

/** Anthropic's metadata.user_id holds at most 256 characters; a longer id is sent as its SHA-256, still opaque and stable. */
const MAX_USER_ID = 256;

function userIdFor(user: string, notes: Adjustments): string {
  if (user.length <= MAX_USER_ID) return user;
  notes.add(`user longer than ${MAX_USER_ID} characters sent as its SHA-256 in metadata.user_id`);
  return `sha256:${createHash('sha256').update(user).digest('hex')}`;
}
