// Preserved thinking, predicted: what each kept thinking block is bound to, and whether it is still valid.
//
// Claude's newest models check every thinking block sent back against its prefix: the top-level `system`,
// `tools` and every message before the block, as sent when the block was produced (`cache_control` markers are
// not part of it). A changed prefix invalidates that block and every later one, and the request fails with a
// 400 unless `thinking.block_binding.prefix_mismatch_behavior: "drop_block"` is set together with the
// `thinking-binding-controls-2026-08-01` beta (sources: Anthropic's "Preserved thinking" and "Prefix checks on
// thinking blocks" pages, and the SDK's BetaThinkingBlockBinding / BetaInputTransformation types).
//
// The gateway records, for the blocks of each response, the digest of the request it sent (`bindingOf`), and
// before sending a request compares each block's binding with the digest of the prefix in front of it now.
// Pure: the same params always give the same digests. Any endpoint can use it (Chat Completions here; the
// Responses API carries the same state in `encrypted_content`).
import { createHash } from 'node:crypto';
import type { KeptThinkingBlock } from './thinking.ts';

export const BINDING_BETA = 'thinking-binding-controls-2026-08-01';

interface PrefixParts {
  system?: unknown;
  tools?: unknown;
  messages: ReadonlyArray<{ role: string; content: unknown }>;
}

/** Sorted keys, no cache_control, string content in the block form the model sees. */
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

function systemOf(system: unknown): unknown {
  return typeof system === 'string' ? [{ text: system, type: 'text' }] : canonical(system ?? []);
}

/** The digest of the part of every prefix before the messages. */
export function headDigest(params: Pick<PrefixParts, 'system' | 'tools'>): string {
  return createHash('sha256').update(JSON.stringify([systemOf(params.system), canonical(params.tools ?? [])])).digest('base64url');
}

// A request's messages are hashed several times (its binding, the seal, the reconciliation), and most message
// objects are shared between those passes: each one's canonical text is kept for as long as the object lives.
const CANONICAL_TEXT = new WeakMap<object, string>();

function canonicalText(message: PrefixParts['messages'][number]): string {
  let text = CANONICAL_TEXT.get(message);
  if (text === undefined) {
    text = JSON.stringify(canonical(message));
    CANONICAL_TEXT.set(message, text);
  }
  return text;
}

/** The digest of a prefix extended by one more message. */
export function nextDigest(digest: string, message: PrefixParts['messages'][number]): string {
  return createHash('sha256').update(digest).update(canonicalText(message)).digest('base64url');
}

/** digests[i] covers system, tools and messages[0..i); the last one covers the whole request. */
export function prefixDigests(params: PrefixParts): string[] {
  let digest = headDigest(params);
  const out = [digest];
  for (const message of params.messages) {
    digest = nextDigest(digest, message);
    out.push(digest);
  }
  return out;
}

/** What the thinking blocks of a response to these params are bound to. */
export function bindingOf(params: PrefixParts): string {
  return prefixDigests(params).at(-1)!;
}

/** A short stable key for a block: its signature (or redacted data), hashed. */
export function blockKey(block: KeptThinkingBlock): string {
  const secret = block.type === 'thinking' ? block.signature : block.data;
  return createHash('sha256').update(block.type).update('\0').update(secret).digest('base64url').slice(0, 32);
}

export function isThinkingBlock(block: unknown): block is KeptThinkingBlock {
  const type = (block as { type?: unknown } | null)?.type;
  return type === 'thinking' || type === 'redacted_thinking';
}
