// The SQLite side of Postgres replication: switching capture on and off, reading the next batch of outbox rows
// with the current state of what they point at, deleting what Postgres committed, and applying what other
// replicas wrote (projects and keys) without sending it back.
import { blobVector } from '../../memory/vector-search.ts';
import type { ErrorEvent } from '../../reliability/error-events.ts';
import type { UsageRecord } from '../../usage/record.ts';
import type { Db } from '../sqlite.ts';
import { toErrorEvent, toUsageRecord, type ErrorRow, type UsageRow } from '../usage-table.ts';
import type { KeyRow } from '../key-store.ts';
import type { ProjectRow } from '../project-store.ts';

export type { KeyRow } from '../key-store.ts';
export type { ProjectRow } from '../project-store.ts';

export interface MemoryRow {
  id: string;
  project_id: string;
  kind: string;
  source: string;
  text: string;
  text_hash: string;
  seen_count: number;
  recalled_count: number;
  created_ms: number;
  updated_ms: number;
  /** Its embeddings as they are now, one per model (none: none kept, or removed by an edit of the text). */
  embeddings: Array<{ model: string; vector: Float32Array }>;
}

export interface OutboxBatch {
  /** The outbox rows this batch covers, deleted once Postgres has committed it. */
  seqs: number[];
  usage: Array<{ key: string; record: UsageRecord }>;
  errors: ErrorEvent[];
  projects: ProjectRow[];
  keys: KeyRow[];
  memories: MemoryRow[];
  /** Memories named in the outbox that are gone here: tombstones in Postgres. */
  deletedMemories: string[];
  /** Stored responses as they are here. */
  responses: StoredResponseRow[];
  /** Stored responses deleted here (or swept once expired, which changes nothing there): tombstones in Postgres. */
  deletedResponses: string[];
}

export interface StoredResponseRow {
  id: string;
  project_id: string;
  previous_response_id: string | null;
  created_ms: number;
  expires_ms: number;
  input_items: string;
  response: string;
}

interface OutboxEntry {
  seq: number;
  kind: 'usage' | 'error' | 'project' | 'key' | 'memory' | 'response';
  ref: string;
}

const DEFAULT_PROJECT = 'default';

/**
 * The `default` project exists in every replica from its first start; only edits of it travel. Its row as
 * created (never edited: updated = created) is not sent, so it never overwrites an edit made elsewhere.
 */
const isPristineDefault = (p: Pick<ProjectRow, 'id' | 'created_ms' | 'updated_ms'>) => p.id === DEFAULT_PROJECT && p.updated_ms === p.created_ms;

export class Outbox {
  private readonly statements;

  constructor(private readonly db: Db) {
    const inList = (table: string, column: string) => db.prepare(`SELECT * FROM ${table} WHERE ${column} IN (SELECT value FROM json_each(?))`);
    this.statements = {
      state: db.prepare('SELECT capture, target, pulled_version FROM replication_state WHERE id = 1'),
      next: db.prepare('SELECT seq, kind, ref FROM outbox ORDER BY seq LIMIT ?'),
      remove: db.prepare('DELETE FROM outbox WHERE seq IN (SELECT value FROM json_each(?))'),
      count: db.prepare('SELECT count(*) AS n FROM outbox'),
      usage: inList('usage_records', 'seq'),
      errors: inList('error_events', 'id'),
      projects: inList('projects', 'id'),
      keys: inList('project_keys', 'id'),
      responses: inList('stored_responses', 'id'),
      memories: db.prepare(`
        SELECT id, project_id, kind, source, text, text_hash, seen_count, recalled_count, created_ms, updated_ms FROM memories
        WHERE id IN (SELECT value FROM json_each(?))`),
      embeddings: db.prepare(`
        SELECT m.id AS id, e.model AS model, e.vector AS vector FROM memory_embeddings e JOIN memories m ON m.seq = e.seq
        WHERE m.id IN (SELECT value FROM json_each(?)) ORDER BY m.id, e.model`),
      embeddingColumn: db.prepare('UPDATE replication_state SET embedding_column = ? WHERE id = 1'),
      setApplying: db.prepare('UPDATE replication_state SET applying = ? WHERE id = 1'),
      upsertProject: db.prepare(`
        INSERT INTO projects (id, name, rate_limit_rpm, tokens_per_minute, default_model, max_tokens_cap, allowed_tools_json,
                              reduction_json, fallback_chain_json, created_ms, updated_ms, deleted_ms)
        VALUES (@id, @name, @rate_limit_rpm, @tokens_per_minute, @default_model, @max_tokens_cap, @allowed_tools_json,
                @reduction_json, @fallback_chain_json, @created_ms, @updated_ms, @deleted_ms)
        ON CONFLICT (id) DO UPDATE SET
          name = excluded.name, rate_limit_rpm = excluded.rate_limit_rpm, tokens_per_minute = excluded.tokens_per_minute,
          default_model = excluded.default_model, max_tokens_cap = excluded.max_tokens_cap,
          allowed_tools_json = excluded.allowed_tools_json, reduction_json = excluded.reduction_json,
          fallback_chain_json = excluded.fallback_chain_json, updated_ms = excluded.updated_ms
        WHERE excluded.updated_ms > projects.updated_ms
           OR (projects.id = '${DEFAULT_PROJECT}' AND projects.updated_ms = projects.created_ms AND excluded.updated_ms <> excluded.created_ms)`),
      deleteProject: db.prepare('UPDATE projects SET deleted_ms = ? WHERE id = ? AND (deleted_ms IS NULL OR deleted_ms > ?)'),
      upsertKey: db.prepare(`
        INSERT INTO project_keys (id, project_id, name, prefix, key_hash, created_ms, revoked_ms, last_used_ms)
        VALUES (@id, @project_id, @name, @prefix, @key_hash, @created_ms, @revoked_ms, @last_used_ms)
        ON CONFLICT (id) DO UPDATE SET
          revoked_ms = CASE WHEN project_keys.revoked_ms IS NULL THEN excluded.revoked_ms
                            WHEN excluded.revoked_ms IS NULL THEN project_keys.revoked_ms
                            ELSE min(project_keys.revoked_ms, excluded.revoked_ms) END,
          last_used_ms = CASE WHEN project_keys.last_used_ms IS NULL THEN excluded.last_used_ms
                              WHEN excluded.last_used_ms IS NULL THEN project_keys.last_used_ms
                              ELSE max(project_keys.last_used_ms, excluded.last_used_ms) END
        WHERE (excluded.revoked_ms IS NOT NULL AND (project_keys.revoked_ms IS NULL OR excluded.revoked_ms < project_keys.revoked_ms))
           OR (excluded.last_used_ms IS NOT NULL AND (project_keys.last_used_ms IS NULL OR excluded.last_used_ms > project_keys.last_used_ms))`),
    };
  }

  private state(): { capture: number; target: string | null; pulled_version: number } {
    return this.statements.state.get() as { capture: number; target: string | null; pulled_version: number };
  }

  /** Everything stored so far goes into the outbox (Postgres upserts make a second copy harmless). */
  private enqueueEverything(): void {
    this.db.exec(`
      INSERT INTO outbox (kind, ref) SELECT 'project', id FROM projects ORDER BY created_ms;
      INSERT INTO outbox (kind, ref) SELECT 'key', id FROM project_keys ORDER BY created_ms;
      INSERT INTO outbox (kind, ref) SELECT 'usage', seq FROM usage_records ORDER BY seq;
      INSERT INTO outbox (kind, ref) SELECT 'error', id FROM error_events ORDER BY seq;
      INSERT INTO outbox (kind, ref) SELECT 'memory', id FROM memories ORDER BY seq;
      INSERT INTO outbox (kind, ref) SELECT 'response', id FROM stored_responses ORDER BY created_ms;`);
  }

  /**
   * Postgres is configured: capture from now on. When capture was off, what was written meanwhile never reached
   * the outbox, so everything is enqueued once.
   */
  enable(): void {
    this.db
      .transaction(() => {
        if (this.state().capture === 1) return;
        this.db.prepare('UPDATE replication_state SET capture = 1, target = NULL, pulled_version = 0 WHERE id = 1').run();
        this.enqueueEverything();
      })
      .immediate();
  }

  /** Postgres is not configured: stop capturing and forget the backlog (enable() starts over with everything). */
  disable(): void {
    if (this.state().capture === 0) return;
    this.db
      .transaction(() => {
        this.db.prepare('UPDATE replication_state SET capture = 0, target = NULL, pulled_version = 0 WHERE id = 1').run();
        this.db.prepare('DELETE FROM outbox').run();
      })
      .immediate();
  }

  /**
   * Called once the Postgres' identity is known. The outbox was filled for another one (DATABASE_URL or the
   * schema changed): that one has everything, this one may have nothing, so everything is sent again.
   */
  retarget(instanceId: string): void {
    this.db
      .transaction(() => {
        const { target } = this.state();
        if (target === instanceId) return;
        this.db.prepare('UPDATE replication_state SET target = ?, pulled_version = 0 WHERE id = 1').run(instanceId);
        if (target !== null) this.enqueueEverything();
      })
      .immediate();
  }

  pulledVersion(): number {
    return this.state().pulled_version;
  }

  pending(): number {
    return (this.statements.count.get() as { n: number }).n;
  }

  /** The oldest `limit` outbox rows with what they point at (each row once, as it is now). */
  next(limit: number): OutboxBatch | undefined {
    const entries = this.statements.next.all(limit) as OutboxEntry[];
    if (entries.length === 0) return undefined;
    const refs = (kind: OutboxEntry['kind']) => JSON.stringify([...new Set(entries.filter((e) => e.kind === kind).map((e) => e.ref))]);
    const usageSeqs = JSON.stringify([...new Set(entries.filter((e) => e.kind === 'usage').map((e) => Number(e.ref)))]);
    const { memories, deletedMemories } = this.memories(refs('memory'));
    const { responses, deletedResponses } = this.responses(refs('response'));
    return {
      seqs: entries.map((e) => e.seq),
      usage: (this.statements.usage.all(usageSeqs) as Array<UsageRow & { record_key: string }>).map((row) => ({ key: row.record_key, record: toUsageRecord(row) })),
      errors: (this.statements.errors.all(refs('error')) as ErrorRow[]).map(toErrorEvent),
      projects: (this.statements.projects.all(refs('project')) as ProjectRow[]).filter((p) => !isPristineDefault(p)),
      keys: this.statements.keys.all(refs('key')) as KeyRow[],
      memories,
      deletedMemories,
      responses,
      deletedResponses,
    };
  }

  /** The named stored responses as they are now; the ones no longer here were deleted, or swept once expired. */
  private responses(ids: string): { responses: StoredResponseRow[]; deletedResponses: string[] } {
    const rows = this.statements.responses.all(ids) as StoredResponseRow[];
    const here = new Set(rows.map((r) => r.id));
    return { responses: rows, deletedResponses: (JSON.parse(ids) as string[]).filter((id) => !here.has(id)) };
  }

  /** The named memories as they are now, with their embeddings; the ones no longer here are deleted. */
  private memories(ids: string): { memories: MemoryRow[]; deletedMemories: string[] } {
    const rows = this.statements.memories.all(ids) as Array<Omit<MemoryRow, 'embeddings'>>;
    const byId = new Map<string, MemoryRow>(rows.map((row) => [row.id, { ...row, embeddings: [] }]));
    for (const e of this.statements.embeddings.all(ids) as Array<{ id: string; model: string; vector: Buffer }>) {
      byId.get(e.id)?.embeddings.push({ model: e.model, vector: blobVector(e.vector) });
    }
    return { memories: [...byId.values()], deletedMemories: (JSON.parse(ids) as string[]).filter((id) => !byId.has(id)) };
  }

  /** Which Postgres column type holds embeddings (pgvector's `vector`, or `real[]` without it). */
  noteEmbeddingColumn(type: string): void {
    this.statements.embeddingColumn.run(type);
  }

  /** Postgres committed these rows. */
  shipped(seqs: readonly number[]): void {
    this.statements.remove.run(JSON.stringify(seqs));
  }

  /**
   * Projects and keys written by other replicas, merged in: a project's fields by the latest edit, its deletion
   * and a key's revocation once set never undone, a key's last use the latest seen. None of it is sent back.
   * Returns how many rows changed here.
   */
  applyRemote(projects: readonly ProjectRow[], keys: readonly KeyRow[], pulledVersion?: number): number {
    const s = this.statements;
    return this.db
      .transaction(() => {
        s.setApplying.run(1);
        let changed = 0;
        for (const p of projects) {
          changed += s.upsertProject.run(p).changes;
          if (p.deleted_ms !== null) changed += s.deleteProject.run(p.deleted_ms, p.id, p.deleted_ms).changes;
        }
        for (const k of keys) {
          try {
            changed += s.upsertKey.run(k).changes;
          } catch {
            // Its project has not arrived yet: the next pull brings both.
          }
        }
        if (pulledVersion !== undefined) this.db.prepare('UPDATE replication_state SET pulled_version = max(pulled_version, ?) WHERE id = 1').run(pulledVersion);
        s.setApplying.run(0);
        return changed;
      })
      .immediate();
  }
}
