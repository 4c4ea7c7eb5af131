// Keeps the thinking blocks of assistant tool turns, with what each is bound to, so a later request can send
// them back unchanged on any replica and after a restart: a memory front for this process, over a durable
// back (SQLite in DATA_DIR, or Redis shared by replicas). Entries expire after `ttlMs`; the memory front and
// the SQLite back also keep at most `maxEntries`. A forgotten turn only costs the model its earlier reasoning.
//
// Two kinds of key: `t:<tool call id>` holds a turn's blocks (found by the client's tool call id, O(1));
// `k:<block key>` holds one block's binding (found by its signature, for blocks the client carried back).
import type { KeptThinkingBlock } from '../translate/thinking.ts';
import { blockKey } from '../translate/thinking-binding.ts';

/** One assistant turn's thinking, bound to the request that produced it. */
export interface BoundThinking {
  toolCallIds: string[];
  blocks: KeptThinkingBlock[];
  /** The prefix digest of the request that produced the blocks (translate/thinking-binding.ts). */
  binding: string;
  model: string;
}

/** What one request knows after a single batched read. */
export interface ThinkingRecall {
  lookup(toolCallId: string): KeptThinkingBlock[] | undefined;
  bindingOf(block: KeptThinkingBlock): string | undefined;
}

export interface ThinkingStore {
  /** Resolves once the durable back has the turn (callers finish their answer after it). */
  remember(turn: BoundThinking): Promise<void>;
  /** One read for every key a request may need. */
  recall(toolCallIds: readonly string[], blocks: readonly KeptThinkingBlock[]): Promise<ThinkingRecall>;
  readonly size: number;
}

/** Where entries outlive the process. Reads that fail read as misses. */
export interface DurableKeyValues {
  getMany(keys: readonly string[]): Promise<Array<string | undefined>>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

export interface ThinkingStoreOptions {
  ttlMs?: number;
  maxEntries?: number;
  onError?: (error: unknown) => void;
}

interface TurnEntry {
  b: KeptThinkingBlock[];
  k: string;
  m: string;
}

export const DEFAULT_THINKING_TTL_MS = 24 * 3600_000;
export const DEFAULT_THINKING_MAX_ENTRIES = 50_000;

export function createThinkingStore(durable: DurableKeyValues | undefined, options: ThinkingStoreOptions = {}): ThinkingStore {
  const ttlMs = options.ttlMs ?? DEFAULT_THINKING_TTL_MS;
  const maxEntries = options.maxEntries ?? DEFAULT_THINKING_MAX_ENTRIES;
  const onError = options.onError ?? (() => {});
  const front = new Map<string, string>();
  const keep = (key: string, value: string) => {
    absent.delete(key);
    front.delete(key);
    front.set(key, value);
    while (front.size > maxEntries) front.delete(front.keys().next().value as string);
  };
  // Keys the durable store did not have. An entry is written before the answer that issued its tool call (or
  // block) completes, so once a request carries a key that was absent, it stays absent: an agent's history of
  // tool calls made without thinking (or by another gateway) is looked up once, not again on every turn.
  const absent = new Set<string>();
  const noteAbsent = (key: string) => {
    absent.add(key);
    if (absent.size > maxEntries) absent.delete(absent.values().next().value as string);
  };

  return {
    async remember(turn) {
      const entry = JSON.stringify({ b: turn.blocks, k: turn.binding, m: turn.model } satisfies TurnEntry);
      const binding = JSON.stringify({ k: turn.binding, m: turn.model });
      const writes: Array<[string, string]> = [
        ...turn.toolCallIds.map((id): [string, string] => [`t:${id}`, entry]),
        ...turn.blocks.map((block): [string, string] => [`k:${blockKey(block)}`, binding]),
      ];
      for (const [key, value] of writes) keep(key, value);
      if (!durable) return;
      await Promise.all(writes.map(([key, value]) => durable.set(key, value, ttlMs).catch(onError)));
    },
    async recall(toolCallIds, blocks) {
      const keys = [...new Set([...toolCallIds.map((id) => `t:${id}`), ...blocks.map((b) => `k:${blockKey(b)}`)])];
      const values = new Map<string, string>();
      const missing = keys.filter((key) => {
        const hit = front.get(key);
        if (hit !== undefined) values.set(key, hit);
        return hit === undefined && !absent.has(key);
      });
      if (durable && missing.length > 0) {
        let found: Array<string | undefined>;
        try {
          found = await durable.getMany(missing);
        } catch (error) {
          // A failed read says nothing about what is stored: nothing is noted as absent.
          onError(error);
          return recallFrom(values);
        }
        missing.forEach((key, i) => {
          const value = found[i];
          if (value !== undefined) values.set(key, value);
          else noteAbsent(key);
        });
      }
      return recallFrom(values);
    },
    get size() {
      return front.size;
    },
  };
}

function recallFrom(values: ReadonlyMap<string, string>): ThinkingRecall {
  const turns = new Map<string, TurnEntry>();
  const bindings = new Map<string, string>();
  for (const [key, value] of values) {
    const parsed = parse(value);
    if (!parsed) continue;
    if (key.startsWith('t:') && Array.isArray(parsed.b)) {
      turns.set(key.slice(2), parsed as TurnEntry);
      for (const block of (parsed as TurnEntry).b) bindings.set(blockKey(block), parsed.k);
    } else if (key.startsWith('k:')) bindings.set(key.slice(2), parsed.k);
  }
  return {
    lookup: (id) => turns.get(id)?.b,
    bindingOf: (block) => bindings.get(blockKey(block)),
  };
}

function parse(value: string): { b?: unknown; k: string; m?: string } | undefined {
  try {
    const parsed = JSON.parse(value) as { k?: unknown };
    return typeof parsed?.k === 'string' ? (parsed as { k: string }) : undefined;
  } catch {
    return undefined;
  }
}
