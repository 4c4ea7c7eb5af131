// Per-conversation prefix state: what the reduction pipeline computed for a conversation's previous turn, so
// a turn that only appends messages costs what its new messages cost. Principle 3 makes this exact: every
// layer rewrites message i from messages 0..i only, so when the first L messages (and the system prompt,
// tools and settings) equal the previous turn's, the layers' outputs for them and their running state after
// them are what a from-scratch run would compute again. Nothing here is needed for correctness: a miss (an
// evicted entry, another replica, an edited history) runs the layers from scratch, with the same bytes.
import type { MessageCreateParams, MessageParam } from '@anthropic-ai/sdk/resources/messages';

/** One sequential layer's memo: its inputs and outputs per message, and its running state after the last. */
export interface LayerMemo<S> {
  outputs: MessageParam[];
  state: S;
}

export interface PrefixState {
  /** What decides whether a later turn may resume: settings, system, tools (compared by value). */
  fingerprint: PrefixFingerprint;
  /** The previous turn's messages as translated (the pipeline's input). */
  messages: MessageParam[];
  /** Each layer's memo, by layer name (caps, strip, dedup). */
  layers: Record<string, LayerMemo<unknown>>;
  /** References made by strip and dedup so far: reference -> the text it stands for. */
  originals: Map<string, string>;
  /** Rough size in characters, for the store's bound. */
  chars: number;
}

export interface PrefixFingerprint {
  settings: string;
  system: MessageCreateParams['system'];
  tools: MessageCreateParams['tools'];
}

/**
 * Equal JSON with the same key order: two values for which this holds serialise to the same bytes. Keys whose
 * value is undefined count (conservative: a mismatch only costs a from-scratch run).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const key = ka[i]!;
    if (key !== kb[i] || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

export interface Resumption {
  /** The request with its unchanged leading messages (and system, tools) replaced by the previous turn's objects. */
  params: MessageCreateParams;
  /** The state to continue from, when every message of the previous turn is a prefix of this one. */
  resume: PrefixState | undefined;
}

/**
 * Reuses the previous turn's objects for what did not change (so every identity-keyed memo downstream hits),
 * and says whether the layers may continue from the previous turn's state.
 */
export function resumeFrom(params: MessageCreateParams, previous: PrefixState | undefined, settings: string): Resumption {
  if (!previous || previous.fingerprint.settings !== settings) return { params, resume: undefined };
  const fp = previous.fingerprint;
  if (!sameJson(params.system, fp.system) || !sameJson(params.tools, fp.tools)) return { params, resume: undefined };
  const old = previous.messages;
  const messages = params.messages.slice();
  let shared = 0;
  while (shared < old.length && shared < messages.length && sameJson(messages[shared], old[shared])) {
    messages[shared] = old[shared]!;
    shared++;
  }
  const interned = { ...params, messages } as MessageCreateParams;
  if (fp.system !== undefined) interned.system = fp.system;
  if (fp.tools !== undefined) interned.tools = fp.tools;
  return { params: interned, resume: shared === old.length && shared <= messages.length ? previous : undefined };
}

/**
 * Runs a per-message layer from `from` on, after the memo's outputs for the messages before it. `step`
 * rewrites one message with the running state (mutating it); the same object back means unchanged.
 */
export function runLayer<S>(
  messages: readonly MessageParam[],
  memo: LayerMemo<S> | undefined,
  fresh: () => S,
  step: (message: MessageParam, state: S) => MessageParam,
): { memo: LayerMemo<S>; changed: boolean } {
  const resumed = memo !== undefined;
  const state = resumed ? memo.state : fresh();
  const outputs = resumed ? memo.outputs.slice(0, messages.length) : [];
  for (let i = outputs.length; i < messages.length; i++) outputs.push(step(messages[i]!, state));
  let changed = false;
  for (let i = 0; i < messages.length && !changed; i++) changed = outputs[i] !== messages[i];
  return { memo: { outputs, state }, changed };
}

export interface PrefixStoreLimits {
  maxConversations: number;
  /** Total characters of conversation kept, over all entries. */
  maxChars: number;
  /** An entry unused for this long is dropped. */
  maxAgeMs: number;
}

// A tray app keeps this small: a few dozen long conversations at most, each held for half an hour unused.
export const DEFAULT_PREFIX_LIMITS: PrefixStoreLimits = { maxConversations: 128, maxChars: 24 * 1024 * 1024, maxAgeMs: 30 * 60_000 };

/**
 * Bounded by count, size and age, least recently used first out. `take` removes the entry: a layer's running
 * state is mutated as it continues, so two turns of one conversation in flight never share it (the second
 * runs from scratch).
 */
export class PrefixStore {
  private readonly entries = new Map<string, { state: PrefixState; at: number }>();
  private chars = 0;

  constructor(private readonly limits: PrefixStoreLimits = DEFAULT_PREFIX_LIMITS) {}

  take(key: string, now: number): PrefixState | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.chars -= entry.state.chars;
    return now - entry.at <= this.limits.maxAgeMs ? entry.state : undefined;
  }

  put(key: string, state: PrefixState, now: number): void {
    this.take(key, now);
    if (state.chars > this.limits.maxChars) return;
    this.entries.set(key, { state, at: now });
    this.chars += state.chars;
    for (const [oldest, entry] of this.entries) {
      const over = this.entries.size > this.limits.maxConversations || this.chars > this.limits.maxChars || now - entry.at > this.limits.maxAgeMs;
      if (!over) break;
      this.entries.delete(oldest);
      this.chars -= entry.state.chars;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
