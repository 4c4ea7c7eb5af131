// The memory layer: what a conversation is given at its start (decided once, then replayed byte for byte),
// what is kept from each exchange (off the request path, in order), and search for the admin API and the
// memory_search tool. Recall ranks by embedding similarity when an embeddings endpoint is configured and
// answering, else by full-text BM25.
import type { ChatRequest } from '../translate/openai-types.ts';
import { firstUserText, hasAssistantTurn, latestUserText, pinKeyOfEarlierVersions } from './conversation-key.ts';
import type { Embedder } from './embeddings.ts';
import { fromAnswer, fromUserText, humanText, type FinalAnswer } from './extract.ts';
import { wordOverlap } from './fts-query.ts';
import type { MemoryCandidate, ScoredMemory } from './memory-types.ts';
import type { MemoryStore, StoredMemory } from './memory-store.ts';
import { renderMemoryBlock, withinBudget } from './recall.ts';

export interface MemoryServiceOptions {
  store: MemoryStore;
  embedder?: Embedder | undefined;
  budgetTokens: number;
  maxRecall: number;
  now: () => number;
  onError?: (error: unknown, what: string) => void;
}

// Embedding similarity (1 - cosine distance) below which a memory is not relevant enough to recall, and above
// which a new statement is the same as a stored one said differently.
const MIN_SIMILARITY = 0.35;
const DUPLICATE_SIMILARITY = 0.92;
const DUPLICATE_OVERLAP = 0.8;
const BACKFILL_BATCH = 64;
const PIN_LIFETIME_MS = 30 * 24 * 3600_000;

export interface PinResult {
  block: string;
  memoryIds: string[];
  /** 'new': decided now; 'kept': replayed; 'resumed': a conversation first seen mid-way gets nothing. */
  decided: 'new' | 'kept' | 'resumed';
}

export function createMemoryService(options: MemoryServiceOptions) {
  const { store, embedder } = options;
  let queue: Promise<void> = Promise.resolve();
  let lastExpiry = 0;
  const report = (error: unknown, what: string) => options.onError?.(error, what);

  /** Embeds what this project stored without a vector for the current model (bounded per call). */
  const backfill = async (projectId: string) => {
    if (!embedder) return;
    const missing = store.missingEmbeddings(projectId, embedder.model, BACKFILL_BATCH);
    if (missing.length === 0) return;
    const vectors = await embedder.embed(missing.map((m) => m.text));
    missing.forEach((m, i) => store.setEmbedding(m.seq, embedder.model, vectors[i]!));
  };

  const search = async (projectId: string, text: string, k: number): Promise<ScoredMemory[]> => {
    if (embedder && text.trim() !== '') {
      try {
        await backfill(projectId);
        const [vector] = await embedder.embed([text]);
        return store
          .nearest(projectId, embedder.model, vector!, k)
          .map((hit) => ({ memory: store.bySeq(hit.seq)!, score: 1 - hit.distance, via: 'vector' as const }))
          .filter((hit) => hit.memory && hit.score >= MIN_SIMILARITY);
      } catch (error) {
        report(error, 'embedding search failed, using full-text search');
      }
    }
    return store.searchText(projectId, text, k).map((hit) => ({ ...hit, via: 'text' as const }));
  };

  /** The stored memory that already says this, if any (beyond exact duplicates, which the store collapses). */
  const nearDuplicate = async (projectId: string, candidate: MemoryCandidate, vector: Float32Array | undefined) => {
    if (vector && embedder) {
      const [hit] = store.nearest(projectId, embedder.model, vector, 1);
      return hit && 1 - hit.distance >= DUPLICATE_SIMILARITY ? store.bySeq(hit.seq) : undefined;
    }
    return store.searchText(projectId, candidate.text, 3).find((hit) => wordOverlap(hit.memory.text, candidate.text) >= DUPLICATE_OVERLAP)?.memory;
  };

  const keep = async (projectId: string, candidates: MemoryCandidate[]) => {
    if (candidates.length === 0) return;
    let vectors: Float32Array[] | undefined;
    if (embedder) {
      try {
        await backfill(projectId);
        vectors = await embedder.embed(candidates.map((c) => c.text));
      } catch (error) {
        report(error, 'embedding new memories failed; they are kept for full-text search');
      }
    }
    for (const [i, candidate] of candidates.entries()) {
      const vector = vectors?.[i];
      const same = await nearDuplicate(projectId, candidate, vector);
      if (same) {
        store.seenAgain(same.seq);
        continue;
      }
      const { memory, created } = store.add(projectId, candidate);
      if (created && vector && embedder) store.setEmbedding(memory.seq, embedder.model, vector);
    }
  };

  // Pins written before conversations had one shared id are keyed by the digest of their whole system prompt and
  // first message: found that way once, and kept under the conversation's id from then on, so a conversation in
  // progress keeps its block byte for byte.
  const carriedOver = (projectId: string, chat: ChatRequest, conversationId: string) => {
    const earlier = store.getPin(projectId, pinKeyOfEarlierVersions(chat));
    return earlier && store.putPin(projectId, conversationId, earlier);
  };

  return {
    store,
    embedder,

    /**
     * The block a conversation carries. Decided at its first turn from what the first message is about, kept
     * in SQLite, and replayed unchanged on every later turn so the cached prefix never moves. A conversation
     * first seen after its start (memory newly enabled, a pin edited away) gets an empty pin: a block appearing
     * mid-conversation would rewrite its whole cached history.
     */
    async pin(projectId: string, chat: ChatRequest, conversationId: string | undefined): Promise<PinResult> {
      // No human message yet: nothing anchors the conversation, so nothing is pinned to it.
      if (conversationId === undefined) return { block: '', memoryIds: [], decided: 'resumed' };
      const kept = store.getPin(projectId, conversationId) ?? carriedOver(projectId, chat, conversationId);
      if (kept) return { ...kept, decided: 'kept' };
      if (hasAssistantTurn(chat)) {
        const pin = store.putPin(projectId, conversationId, { block: '', memoryIds: [] });
        return { ...pin, decided: 'resumed' };
      }
      const at = options.now();
      if (at - lastExpiry > 3600_000) {
        lastExpiry = at;
        store.expirePins(at - PIN_LIFETIME_MS);
      }
      let block = '';
      let ids: string[] = [];
      if (options.maxRecall > 0 && options.budgetTokens > 0) {
        const query = humanText(firstUserText(chat));
        const chosen = withinBudget(await search(projectId, query, options.maxRecall * 3), {
          budgetTokens: options.budgetTokens,
          maxCount: options.maxRecall,
        });
        block = renderMemoryBlock(chosen.map((hit) => hit.memory));
        ids = chosen.map((hit) => hit.memory.id);
      }
      // Two first turns racing: the first pin written stands for both.
      const pin = store.putPin(projectId, conversationId, { block, memoryIds: ids });
      if (pin.block === block) store.markRecalled(pin.memoryIds);
      return { ...pin, decided: 'new' };
    },

    /** Keeps what the exchange says is worth remembering; runs after the answer, never delays it. */
    capture(projectId: string, chat: ChatRequest, answer: FinalAnswer | undefined): void {
      const candidates = [...fromUserText(latestUserText(chat)), ...(answer ? fromAnswer(answer) : [])];
      if (candidates.length === 0) return;
      queue = queue.then(() => keep(projectId, candidates)).catch((error) => report(error, 'memory capture failed'));
    },

    search,

    /** Stores a memory written through the admin API (embedded at once when an endpoint is configured). */
    async add(projectId: string, candidate: MemoryCandidate): Promise<{ memory: StoredMemory; created: boolean }> {
      const added = store.add(projectId, candidate);
      if (added.created && embedder) {
        try {
          const [vector] = await embedder.embed([candidate.text]);
          store.setEmbedding(added.memory.seq, embedder.model, vector!);
        } catch (error) {
          report(error, 'embedding a new memory failed; it is kept for full-text search');
        }
      }
      return added;
    },

    /**
     * Edits a memory. Conversations that were given it lose their pin, so their next turn is decided again with
     * the new text (one cache write for them, rather than carrying a statement the user corrected).
     */
    edit(id: string, change: { text?: string; kind?: MemoryCandidate['kind'] }): StoredMemory | 'duplicate' | undefined {
      const updated = store.update(id, change);
      if (updated && updated !== 'duplicate') {
        store.dropPinsWith(id);
      }
      return updated;
    },

    /** Deletes a memory and the pins that carried it (see edit). */
    forget(id: string): StoredMemory | undefined {
      const removed = store.remove(id);
      if (removed) {
        store.dropPinsWith(id);
      }
      return removed;
    },

    /** Resolves once every capture queued so far is stored (tests, shutdown). */
    idle(): Promise<void> {
      return queue;
    },
  };
}

export type MemoryService = ReturnType<typeof createMemoryService>;
