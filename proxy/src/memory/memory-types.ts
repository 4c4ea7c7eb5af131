// What the memory layer keeps: short statements worth carrying from one conversation of a project to the next.

export type MemoryKind = 'requirement' | 'decision' | 'answer' | 'note';
export type MemorySource = 'user' | 'assistant' | 'admin';

export const MEMORY_KINDS: readonly MemoryKind[] = ['requirement', 'decision', 'answer', 'note'];

/** A statement found in a conversation, before it is stored. */
export interface MemoryCandidate {
  kind: MemoryKind;
  source: MemorySource;
  text: string;
}

export interface Memory {
  id: string;
  projectId: string;
  kind: MemoryKind;
  source: MemorySource;
  text: string;
  /** How often the same statement was seen again (duplicates collapse into one memory). */
  seenCount: number;
  /** How many conversations it was recalled into. */
  recalledCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A memory found by a search, with how well it matched (higher is better; 0..1 for embeddings). */
export interface ScoredMemory {
  memory: Memory;
  score: number;
  /** 'vector' (embedding similarity) or 'text' (full-text BM25). */
  via: 'vector' | 'text';
}
