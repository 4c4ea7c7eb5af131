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
import { hash } from 'node:crypto';
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

// Digests are memoised by object identity: the prefix state hands a conversation's unchanged system, tools
// and messages on from turn to turn as the same objects, so a turn hashes only what is new in it. Params are
// never mutated once built (every rewrite makes new objects), which is what makes identity a safe key.
const HEADS = new WeakMap<object, { system: unknown; tools: unknown; digest: string }>();

/** The digest of the part of every prefix before the messages. */
export function headDigest(params: Pick<PrefixParts, 'system' | 'tools'>): string {
  const anchor = typeof params.tools === 'object' && params.tools !== null ? params.tools : typeof params.system === 'object' && params.system !== null ? params.system : undefined;
  const memo = anchor && HEADS.get(anchor);
  if (memo && memo.system === params.system && memo.tools === params.tools) return memo.digest;
  const digest = hash('sha256', JSON.stringify([systemOf(params.system), canonical(params.tools ?? [])]), 'base64url');
  if (anchor) HEADS.set(anchor, { system: params.system, tools: params.tools, digest });
  return digest;
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

// The digest each message object last extended, and what that gave: a message that follows the same prefix
// again (the usual case: the next turn of the conversation) costs a lookup.
const EXTENDED = new WeakMap<object, { from: string; to: string }>();

/** The digest of a prefix extended by one more message. */
export function nextDigest(digest: string, message: PrefixParts['messages'][number]): string {
  const memo = EXTENDED.get(message);
  if (memo?.from === digest) return memo.to;
  const to = hash('sha256', digest + canonicalText(message), 'base64url');
  EXTENDED.set(message, { from: digest, to });
  return to;
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

const BINDINGS = new WeakMap<object, string>();

/** What the thinking blocks of a response to these params are bound to. */
export function bindingOf(params: PrefixParts): string {
  let binding = BINDINGS.get(params);
  if (binding === undefined) {
    binding = headDigest(params);
    for (const message of params.messages) binding = nextDigest(binding, message);
    BINDINGS.set(params, binding);
  }
  return binding;
}

/** A short stable key for a block: its signature (or redacted data), hashed. */
export function blockKey(block: KeptThinkingBlock): string {
  const secret = block.type === 'thinking' ? block.signature : block.data;
  return hash('sha256', `${block.type}\0${secret}`, 'base64url').slice(0, 32);
}

export function isThinkingBlock(block: unknown): block is KeptThinkingBlock {
  const type = (block as { type?: unknown } | null)?.type;
  return type === 'thinking' || type === 'redacted_thinking';
}
