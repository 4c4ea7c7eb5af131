// Memories in SQLite: one row per statement and project (exact duplicates collapse on the normalized text's
// hash), a full-text index kept by triggers, embeddings per model, and the per-conversation pins.
import { sha256Hex } from '../reduce/hash.ts';
import type { Db } from '../store/sqlite.ts';
import { normalizeForHash } from './extract.ts';
import { ftsQuery } from './fts-query.ts';
import type { Memory, MemoryCandidate, MemoryKind, MemorySource } from './memory-types.ts';
import { createVectorSearch, vectorBlob, type VectorHit } from './vector-search.ts';

interface Row {
  seq: number;
  id: string;
  project_id: string;
  kind: MemoryKind;
  source: MemorySource;
  text: string;
  seen_count: number;
  recalled_count: number;
  created_ms: number;
  updated_ms: number;
}

export interface StoredMemory extends Memory {
  /** Row number shared with the indexes. */
  seq: number;
}

export interface MemoryPin {
  block: string;
  memoryIds: string[];
}

export interface ListOptions {
  projectId?: string;
  kind?: MemoryKind;
  limit: number;
  /** Memories older than this id (paging, newest first). */
  before?: string;
}

function toMemory(row: Row): StoredMemory {
  return {
    seq: row.seq,
    id: row.id,
    projectId: row.project_id,
    kind: row.kind,
    source: row.source,
    text: row.text,
    seenCount: row.seen_count,
    recalledCount: row.recalled_count,
    createdAt: new Date(row.created_ms).toISOString(),
    updatedAt: new Date(row.updated_ms).toISOString(),
  };
}

const PIN_TOUCH_MS = 3600_000;

export function textHash(text: string): string {
  return sha256Hex(normalizeForHash(text));
}

export function createMemoryStore(db: Db, now: () => number, newId: () => string) {
  const vectors = createVectorSearch(db);
  const q = {
    insert: db.prepare(`
      INSERT INTO memories (id, project_id, kind, source, text, text_hash, created_ms, updated_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, text_hash) DO NOTHING`),
    byHash: db.prepare('SELECT * FROM memories WHERE project_id = ? AND text_hash = ?'),
    byId: db.prepare('SELECT * FROM memories WHERE id = ?'),
    bySeq: db.prepare('SELECT * FROM memories WHERE seq = ?'),
    seenAgain: db.prepare('UPDATE memories SET seen_count = seen_count + 1, updated_ms = ? WHERE seq = ?'),
    update: db.prepare('UPDATE memories SET text = ?, text_hash = ?, kind = ?, updated_ms = ? WHERE seq = ?'),
    remove: db.prepare('DELETE FROM memories WHERE seq = ?'),
    recalled: db.prepare('UPDATE memories SET recalled_count = recalled_count + 1 WHERE id = ?'),
    fts: db.prepare(`
      SELECT m.*, bm25(memories_fts) AS rank FROM memories_fts JOIN memories m ON m.seq = memories_fts.rowid
      WHERE memories_fts MATCH ? AND m.project_id = ? ORDER BY rank, m.seq LIMIT ?`),
    ftsAll: db.prepare(`
      SELECT m.*, bm25(memories_fts) AS rank FROM memories_fts JOIN memories m ON m.seq = memories_fts.rowid
      WHERE memories_fts MATCH ? ORDER BY rank, m.seq LIMIT ?`),
    setEmbedding: db.prepare('INSERT OR REPLACE INTO memory_embeddings (seq, model, dims, vector) VALUES (?, ?, ?, ?)'),
    dropEmbeddings: db.prepare('DELETE FROM memory_embeddings WHERE seq = ?'),
    missing: db.prepare(`
      SELECT m.seq AS seq, m.text AS text FROM memories m
      WHERE m.project_id = ? AND NOT EXISTS (SELECT 1 FROM memory_embeddings e WHERE e.seq = m.seq AND e.model = ?)
      ORDER BY m.seq LIMIT ?`),
    getPin: db.prepare('SELECT block, memory_ids, used_ms FROM memory_pins WHERE project_id = ? AND conversation_key = ?'),
    putPin: db.prepare(`
      INSERT INTO memory_pins (project_id, conversation_key, block, memory_ids, created_ms, used_ms) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (project_id, conversation_key) DO NOTHING`),
    touchPin: db.prepare('UPDATE memory_pins SET used_ms = ? WHERE project_id = ? AND conversation_key = ?'),
    dropPinsWith: db.prepare(`DELETE FROM memory_pins WHERE memory_ids LIKE ? ESCAPE '\\'`),
    expirePins: db.prepare('DELETE FROM memory_pins WHERE used_ms < ?'),
  };

  const getPin = (projectId: string, key: string): MemoryPin | undefined => {
    const row = q.getPin.get(projectId, key) as { block: string; memory_ids: string; used_ms: number } | undefined;
    if (!row) return undefined;
    // Last use is only for expiring old pins: written at most hourly, not on every request.
    const at = now();
    if (at - row.used_ms > PIN_TOUCH_MS) q.touchPin.run(at, projectId, key);
    return { block: row.block, memoryIds: JSON.parse(row.memory_ids) as string[] };
  };

  const list = (options: ListOptions): StoredMemory[] => {
    const where: string[] = [];
    const args: unknown[] = [];
    if (options.projectId) {
      where.push('project_id = ?');
      args.push(options.projectId);
    }
    if (options.kind) {
      where.push('kind = ?');
      args.push(options.kind);
    }
    if (options.before) {
      const before = q.byId.get(options.before) as Row | undefined;
      where.push('seq < ?');
      args.push(before ? before.seq : 0);
    }
    const sql = `SELECT * FROM memories ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    return (db.prepare(sql).all(...args, options.limit) as Row[]).map(toMemory);
  };

  return {
    get vectorsNative(): boolean {
      return vectors.native;
    },

    /** Stores a candidate; an exact duplicate only counts as seen again. */
    add(projectId: string, candidate: MemoryCandidate): { memory: StoredMemory; created: boolean } {
      const hash = textHash(candidate.text);
      const at = now();
      const result = q.insert.run(`mem_${newId()}`, projectId, candidate.kind, candidate.source, candidate.text, hash, at, at);
      const row = q.byHash.get(projectId, hash) as Row;
      if (result.changes === 0) q.seenAgain.run(at, row.seq);
      return { memory: toMemory(result.changes === 0 ? { ...row, seen_count: row.seen_count + 1 } : row), created: result.changes > 0 };
    },

    seenAgain(seq: number): void {
      q.seenAgain.run(now(), seq);
    },

    get(id: string): StoredMemory | undefined {
      const row = q.byId.get(id) as Row | undefined;
      return row ? toMemory(row) : undefined;
    },

    bySeq(seq: number): StoredMemory | undefined {
      const row = q.bySeq.get(seq) as Row | undefined;
      return row ? toMemory(row) : undefined;
    },

    list,

    /** Edits text and kind; false when another memory of the project already says the same. */
    update(id: string, change: { text?: string; kind?: MemoryKind }): StoredMemory | 'duplicate' | undefined {
      const row = q.byId.get(id) as Row | undefined;
      if (!row) return undefined;
      const text = change.text ?? row.text;
      const hash = textHash(text);
      const other = q.byHash.get(row.project_id, hash) as Row | undefined;
      if (other && other.seq !== row.seq) return 'duplicate';
      db.transaction(() => {
        q.update.run(text, hash, change.kind ?? row.kind, now(), row.seq);
        if (text !== row.text) q.dropEmbeddings.run(row.seq);
      })();
      return toMemory(q.byId.get(id) as Row);
    },

    remove(id: string): StoredMemory | undefined {
      const row = q.byId.get(id) as Row | undefined;
      if (!row) return undefined;
      q.remove.run(row.seq);
      return toMemory(row);
    },

    /** BM25 full-text search; `score` is positive, higher is better. */
    searchText(projectId: string | undefined, text: string, k: number): Array<{ memory: StoredMemory; score: number }> {
      const match = ftsQuery(text);
      if (!match || k <= 0) return [];
      const rows = (projectId ? q.fts.all(match, projectId, k) : q.ftsAll.all(match, k)) as Array<Row & { rank: number }>;
      return rows.map((row) => ({ memory: toMemory(row), score: -row.rank }));
    },

    setEmbedding(seq: number, model: string, vector: Float32Array): void {
      q.setEmbedding.run(seq, model, vector.length, vectorBlob(vector));
    },

    /** Memories of a project without an embedding from this model (added before the endpoint was set, or edited). */
    missingEmbeddings(projectId: string, model: string, limit: number): Array<{ seq: number; text: string }> {
      return q.missing.all(projectId, model, limit) as Array<{ seq: number; text: string }>;
    },

    nearest(projectId: string, model: string, vector: Float32Array, k: number): VectorHit[] {
      return vectors.nearest(projectId, model, vector, k);
    },

    markRecalled(ids: readonly string[]): void {
      db.transaction(() => {
        for (const id of ids) q.recalled.run(id);
      })();
    },

    getPin,

    /** Keeps the first pin written for a conversation; returns the one that stands. */
    putPin(projectId: string, key: string, pin: MemoryPin): MemoryPin {
      const at = now();
      q.putPin.run(projectId, key, pin.block, JSON.stringify(pin.memoryIds), at, at);
      return getPin(projectId, key)!;
    },

    /** Forgets the pins that carry a memory, so an edit or deletion reaches those conversations' next turn. */
    dropPinsWith(id: string): number {
      const pattern = `%"${id.replace(/[\\%_]/g, (c) => `\\${c}`)}"%`;
      return q.dropPinsWith.run(pattern).changes;
    },

    expirePins(olderThanMs: number): number {
      return q.expirePins.run(olderThanMs).changes;
    },
  };
}

export type MemoryStore = ReturnType<typeof createMemoryStore>;
