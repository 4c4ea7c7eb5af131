// Similarity search over stored embeddings with sqlite-vec, loaded into the gateway's own SQLite connection.
// The KNN runs inside SQLite with sqlite-vec's cosine distance over one project's vectors of one model (a
// project holds thousands of memories at most, so an exact scan is fast and never misses). Where the
// extension cannot be loaded (a platform without its binary) the same search runs in JavaScript.
import { loadOnUse } from '../load-on-use.ts';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/sqlite.ts';

export interface VectorHit {
  seq: number;
  /** Cosine distance: 0 same direction, 1 unrelated, 2 opposite. */
  distance: number;
}

const loaded = new WeakSet<Db>();

/** Loads sqlite-vec into the connection once; false when it cannot be loaded here. */
export function loadSqliteVec(db: Db): boolean {
  if (loaded.has(db)) return true;
  try {
    loadOnUse<typeof import('sqlite-vec')>('sqlite-vec').load(db);
    loaded.add(db);
    return true;
  } catch {
    return false;
  }
}

export function vectorBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function blobVector(blob: Buffer): Float32Array {
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float32Array(copy.buffer);
}

export function cosineDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  if (na === 0 || nb === 0) return 1;
  return 1 - dot / Math.sqrt(na * nb);
}

/** Loads sqlite-vec and prepares its query on the first search, so a gateway that never recalls never loads it. */
export function createVectorSearch(db: Db) {
  let prepared: { knn: Statement | undefined; all: Statement } | undefined;
  const statements = () => (prepared ??= prepareSearch(db));

  return {
    /** Whether sqlite-vec runs the search (else JavaScript does). */
    get native(): boolean {
      return statements().knn !== undefined;
    },
    nearest(projectId: string, model: string, query: Float32Array, k: number): VectorHit[] {
      if (k <= 0) return [];
      const { knn, all } = statements();
      if (knn) return knn.all(vectorBlob(query), projectId, model, query.length, k) as VectorHit[];
      const rows = all.all(projectId, model, query.length) as Array<{ seq: number; vector: Buffer }>;
      return rows
        .map((row) => ({ seq: row.seq, distance: cosineDistance(blobVector(row.vector), query) }))
        .sort((a, b) => a.distance - b.distance || a.seq - b.seq)
        .slice(0, k);
    },
  };
}

function prepareSearch(db: Db): { knn: Statement | undefined; all: Statement } {
  const knn = loadSqliteVec(db)
    ? db.prepare(`
        SELECT e.seq AS seq, vec_distance_cosine(e.vector, ?) AS distance
        FROM memory_embeddings e JOIN memories m ON m.seq = e.seq
        WHERE m.project_id = ? AND e.model = ? AND e.dims = ?
        ORDER BY distance, e.seq LIMIT ?`)
    : undefined;
  const all = db.prepare(`
    SELECT e.seq AS seq, e.vector AS vector
    FROM memory_embeddings e JOIN memories m ON m.seq = e.seq
    WHERE m.project_id = ? AND e.model = ? AND e.dims = ?`);
  return { knn, all };
}

export type VectorSearch = ReturnType<typeof createVectorSearch>;
