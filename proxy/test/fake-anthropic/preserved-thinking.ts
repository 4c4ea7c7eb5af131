// Preserved thinking: which model may read a thinking block sent back, and whether its prefix is unchanged.
//
// From "Preserved thinking", "Prefix checks on thinking blocks" and the SDK's `BetaInputTransformation` and
// `BetaThinkingBlockBinding` types:
// - the models that run the prefix check are claude-fable-5-2, claude-mythos-5-2, claude-fable-5-1,
//   claude-mythos-5-1, claude-opus-5-5, claude-sonnet-5-5 and claude-haiku-5-5 (the page's supportedModels);
// - a block's prefix is the top-level `system`, `tools` and every message before the block, as sent when the
//   block was produced; `cache_control` markers are not part of it;
// - a block whose prefix differs from its binding fails, with the rest of its turn's thinking; blocks produced
//   before a change all fail (their prefixes contain it), thinking produced after it is valid. A 400 names the
//   first failing block, or,
//   with `thinking.block_binding.prefix_mismatch_behavior: "drop_block"` and the
//   `thinking-binding-controls-2026-08-01` beta, the blocks are removed and listed in `input_transformations`
//   (present, possibly empty, on every response to a request with the beta);
// - a block the requested model cannot read is dropped without an error (Fable 5.1 reads Opus 5 and Opus 5.5
//   blocks; no other cross-model reading is documented, so the fake allows none).
// The fake enforces the check as on accounts created after 2026-08-31, where it is on by default. Asking for
// block_binding without the beta header is refused here (assumed: the field belongs to the beta).
import { createHash } from 'node:crypto';
import { invalid } from './api-error.ts';
import { contentBlocks } from './prompt-layout.ts';
import type { BlockOrigin } from './thinking.ts';

export const BINDING_BETA = 'thinking-binding-controls-2026-08-01';

const PREFIX_CHECKED = new Set([
  'claude-fable-5-2',
  'claude-mythos-5-2',
  'claude-fable-5-1',
  'claude-mythos-5-1',
  'claude-opus-5-5',
  'claude-sonnet-5-5',
  'claude-haiku-5-5',
]);

const ALSO_READS: Record<string, readonly string[]> = {
  'claude-fable-5-1': ['claude-opus-5', 'claude-opus-5-5'],
};

export type DropReason = 'model_binding_mismatch' | 'prefix_binding_mismatch';

export interface InputTransformation {
  type: 'thinking_dropped';
  path: string;
  reason: DropReason;
}

export interface BindingOutcome {
  /** The messages the model sees, without the dropped blocks. */
  messages: any[];
  /** Present when the request carried the beta header. */
  transformations?: InputTransformation[];
}

/** Strips cache_control (not part of the prefix) and gives strings the block form the model sees. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (key === 'cache_control') continue;
    const v = (value as Record<string, unknown>)[key];
    out[key] = key === 'content' && typeof v === 'string' ? [{ text: v, type: 'text' }] : canonical(v);
  }
  return out;
}

function systemBlocks(system: unknown): unknown {
  return typeof system === 'string' ? [{ text: system, type: 'text' }] : canonical(system ?? []);
}

/** digests[i] covers system, tools and messages[0..i); digests[messages.length] is the whole request. */
export function prefixDigests(body: any): string[] {
  const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
  let digest = createHash('sha256').update(JSON.stringify([systemBlocks(body.system), canonical(body.tools ?? [])])).digest('base64url');
  const out = [digest];
  for (const message of messages) {
    digest = createHash('sha256').update(digest).update(JSON.stringify(canonical(message))).digest('base64url');
    out.push(digest);
  }
  return out;
}

function behaviorOf(body: any, betas: ReadonlySet<string>): 'error' | 'drop_block' {
  const binding = body.thinking?.block_binding;
  if (binding === undefined || binding === null) return 'error';
  if (!betas.has(BINDING_BETA)) {
    throw invalid(`thinking.block_binding: requires the \`${BINDING_BETA}\` value in the \`anthropic-beta\` header`);
  }
  const behavior = binding.prefix_mismatch_behavior ?? 'error';
  if (behavior !== 'error' && behavior !== 'drop_block') {
    throw invalid("thinking.block_binding.prefix_mismatch_behavior: Input should be 'error' or 'drop_block'");
  }
  return behavior;
}

function mismatchError(path: string): Error {
  return invalid(
    `${path}: Invalid \`signature\` in \`thinking\` block. The block is bound to a different conversation. Remove the block or set ` +
      `\`thinking.block_binding.prefix_mismatch_behavior\` to "drop_block". This setting requires the value \`${BINDING_BETA}\` in the ` +
      '`anthropic-beta` header.',
  );
}

/**
 * Applies the model and prefix checks to every thinking block of the request (signatures already verified).
 * `originOf` reads a block's signed origin.
 */
export function applyBinding(body: any, model: string, betas: ReadonlySet<string>, originOf: (block: any) => BlockOrigin | undefined): BindingOutcome {
  const behavior = behaviorOf(body, betas);
  const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
  const checked = PREFIX_CHECKED.has(model);
  const digests = checked ? prefixDigests(body) : [];
  const readable = new Set([model, ...(ALSO_READS[model] ?? [])]);
  const transformations: InputTransformation[] = [];
  const seen = messages.map((message, m) => {
    if (message.role !== 'assistant' || typeof message.content === 'string') return message;
    // A failing block takes the rest of its turn's thinking with it.
    let failing = false;
    const kept = contentBlocks(message.content).filter((block, b) => {
      if (block.type !== 'thinking' && block.type !== 'redacted_thinking') return true;
      const path = `messages.${m}.content.${b}`;
      const origin = originOf(block);
      if (origin && !readable.has(origin.model)) {
        transformations.push({ type: 'thinking_dropped', path, reason: 'model_binding_mismatch' });
        return false;
      }
      if (!checked) return true;
      failing ||= origin?.binding !== digests[m];
      if (!failing) return true;
      if (behavior === 'error') throw mismatchError(path);
      transformations.push({ type: 'thinking_dropped', path, reason: 'prefix_binding_mismatch' });
      return false;
    });
    return kept.length === message.content.length ? message : { ...message, content: kept };
  });
  return { messages: seen, ...(betas.has(BINDING_BETA) ? { transformations } : {}) };
}

export function betasOf(header: string | undefined): Set<string> {
  return new Set((header ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}
