// Turns a plan into the message the API would return: ids, signatures, stop sequences, the max_tokens cut
// and the usage block.
//
// From the Messages API reference and "Prompt caching": a stop sequence ends the text before it and is
// reported in stop_sequence; running out of max_tokens stops with "max_tokens"; max_tokens 0 returns empty
// content with stop_reason "max_tokens" and zero output tokens; usage carries input, cache write and cache
// read tokens plus the per-TTL cache_creation split, service_tier and inference_geo.
import type { StopReason } from '@anthropic-ai/sdk/resources/messages';
import type { CacheUsage } from './prompt-cache.ts';
import type { Rng } from './rng.ts';
import type { InputTransformation } from './preserved-thinking.ts';
import { originNonce, redactedData, signThinking } from './thinking.ts';
import { CHARS_PER_TOKEN, outputTokensOf, textTokens } from './tokens.ts';
import type { FakePlan } from './types.ts';
import type { ValidRequest } from './validate.ts';

export type OutBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string };

export interface BuiltMessage {
  id: string;
  model: string;
  content: OutBlock[];
  stopReason: StopReason;
  stopSequence: string | null;
  outputTokens: number;
  /** Reported when the request carried the thinking-binding beta. */
  transformations?: InputTransformation[];
}

/** Thinking text before signing; the signature is added once the final text is known. */
type Draft = OutBlock | { type: 'thinking'; thinking: string; hidden: number };

function draftBlocks(plan: FakePlan, valid: ValidRequest, rng: Rng): Draft[] {
  const omitted = valid.thinking.display === 'omitted';
  return (plan.content ?? []).map((block): Draft => {
    switch (block.type) {
      case 'text':
        return { type: 'text', text: block.text };
      case 'tool_use':
        return { type: 'tool_use', id: block.id ?? `toolu_${rng.id(24)}`, name: block.name, input: block.input ?? {} };
      case 'thinking':
        // Omitted display still bills the reasoning, it just does not show it.
        return omitted ? { type: 'thinking', thinking: '', hidden: textTokens(block.thinking) } : { type: 'thinking', thinking: block.thinking, hidden: 0 };
      case 'redacted_thinking':
        return { type: 'redacted_thinking', data: redactedData(originNonce(rng.id(16), originFor(valid))) };
    }
  });
}

function cutAtStopSequence(blocks: Draft[], stops: unknown): { blocks: Draft[]; sequence: string } | undefined {
  if (!Array.isArray(stops) || stops.length === 0) return undefined;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.type !== 'text') continue;
    let best: { at: number; seq: string } | undefined;
    for (const seq of stops as string[]) {
      const at = seq.length > 0 ? block.text.indexOf(seq) : -1;
      if (at >= 0 && (!best || at < best.at)) best = { at, seq };
    }
    if (best) return { blocks: [...blocks.slice(0, i), { type: 'text', text: block.text.slice(0, best.at) }], sequence: best.seq };
  }
  return undefined;
}

function draftTokens(blocks: Draft[]): number {
  const hidden = blocks.reduce((n, b) => n + ('hidden' in b ? b.hidden : 0), 0);
  return outputTokensOf(blocks, hidden);
}

/** Keeps what fits in max_tokens; a text or thinking block may be cut, a tool call is dropped whole. */
function cutToBudget(blocks: Draft[], budget: number): Draft[] {
  const kept: Draft[] = [];
  let left = budget;
  for (const block of blocks) {
    const cost = draftTokens([block]);
    if (cost <= left) {
      kept.push(block);
      left -= cost;
      continue;
    }
    if (left > 0 && block.type === 'text') kept.push({ type: 'text', text: block.text.slice(0, left * CHARS_PER_TOKEN) });
    if (left > 0 && block.type === 'thinking' && 'hidden' in block && block.hidden === 0) {
      kept.push({ type: 'thinking', thinking: block.thinking.slice(0, left * CHARS_PER_TOKEN), hidden: 0 });
    }
    break;
  }
  return kept;
}

/** Every block of a response is bound to the whole request that produced it, and to the model. */
function originFor(valid: ValidRequest) {
  return { model: valid.model.id, binding: valid.binding };
}

function sign(blocks: Draft[], valid: ValidRequest, rng: Rng): OutBlock[] {
  return blocks.map((b) =>
    'hidden' in b ? { type: 'thinking', thinking: b.thinking, signature: signThinking(b.thinking, originNonce(rng.id(16), originFor(valid))) } : b,
  );
}

export function buildMessage(plan: FakePlan, valid: ValidRequest, rng: Rng): BuiltMessage {
  const id = `msg_${rng.id(24)}`;
  const base = { id, model: valid.model.id, ...(valid.transformations && { transformations: valid.transformations }) };
  const maxTokens: number = valid.body.max_tokens;
  if (maxTokens === 0) return { ...base, content: [], stopReason: 'max_tokens', stopSequence: null, outputTokens: 0 };

  let blocks = draftBlocks(plan, valid, rng);
  let stopReason: StopReason | undefined = plan.stopReason;
  let stopSequence: string | null = null;

  if (stopReason === undefined || stopReason === 'end_turn') {
    const cut = cutAtStopSequence(blocks, valid.body.stop_sequences);
    if (cut) {
      blocks = cut.blocks;
      stopReason = 'stop_sequence';
      stopSequence = cut.sequence;
    }
  }
  let outputTokens = plan.outputTokens ?? draftTokens(blocks);
  if (plan.outputTokens === undefined && outputTokens > maxTokens) {
    blocks = cutToBudget(blocks, maxTokens);
    stopReason = 'max_tokens';
    outputTokens = maxTokens;
  }
  stopReason ??= blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  return { ...base, content: sign(blocks, valid, rng), stopReason, stopSequence, outputTokens };
}

export interface UsageJson extends CacheUsage {
  output_tokens: number;
  service_tier: 'standard';
  inference_geo: 'global';
}

export function usageJson(cache: CacheUsage, outputTokens: number): UsageJson {
  return { ...cache, output_tokens: outputTokens, service_tier: 'standard', inference_geo: 'global' };
}

/** Refusals carry structured details; every other stop has none. */
export function stopDetails(stopReason: StopReason): { stop_details?: { type: 'refusal'; category: null; explanation: null } } {
  return stopReason === 'refusal' ? { stop_details: { type: 'refusal', category: null, explanation: null } } : {};
}

export function messageJson(built: BuiltMessage, usage: UsageJson) {
  return {
    id: built.id,
    type: 'message' as const,
    role: 'assistant' as const,
    model: built.model,
    content: built.content,
    stop_reason: built.stopReason,
    stop_sequence: built.stopSequence,
    ...stopDetails(built.stopReason),
    usage,
    ...(built.transformations && { input_transformations: built.transformations }),
  };
}
