// The router's history in the gateway's SQLite database, so what it learned survives restarts. Memory is the
// working copy (this process is the database's only router writer); changes are written behind, batched in one
// transaction every `flushMs`, so no request waits on a disk write.
import type { Db } from '../store/sqlite.ts';
import type { ConversationState } from './conversation.ts';
import type { BucketStats, OutcomeStats } from './history.ts';
import type { RoutingHistoryStore } from './history-store.ts';

export interface SqliteRoutingHistoryOptions {
  now: () => number;
  flushMs?: number;
  /** Conversations untouched for this long are forgotten. */
  conversationTtlMs?: number;
  maxCachedConversations?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS routing_outcomes (
  project_id TEXT NOT NULL,
  bucket     TEXT NOT NULL,
  model      TEXT NOT NULL,
  served     INTEGER NOT NULL DEFAULT 0,
  bad        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, bucket, model)
);
CREATE TABLE IF NOT EXISTS routing_conversations (
  project_id      TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  state           TEXT NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (project_id, conversation_id)
);
CREATE INDEX IF NOT EXISTS routing_conversations_updated ON routing_conversations (updated_at);
`;

export interface SqliteRoutingHistory extends RoutingHistoryStore {
  /** Writes pending changes now (they are also written on a timer). */
  flush(): void;
  /** Writes what is pending and stops the timer; call before the database closes. */
  close(): void;
}

export function createSqliteRoutingHistory(db: Db, options: SqliteRoutingHistoryOptions): SqliteRoutingHistory {
  db.exec(SCHEMA);
  const flushMs = options.flushMs ?? 1_000;
  const ttlMs = options.conversationTtlMs ?? 7 * 24 * 3_600_000;
  const maxCached = options.maxCachedConversations ?? 10_000;

  const readStats = db.prepare<[string, string], { model: string; served: number; bad: number }>(
    'SELECT model, served, bad FROM routing_outcomes WHERE project_id = ? AND bucket = ?',
  );
  const addStats = db.prepare(
    `INSERT INTO routing_outcomes (project_id, bucket, model, served, bad) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (project_id, bucket, model) DO UPDATE SET served = served + excluded.served, bad = bad + excluded.bad`,
  );
  const readConversation = db.prepare<[string, string], { state: string }>(
    'SELECT state FROM routing_conversations WHERE project_id = ? AND conversation_id = ?',
  );
  const writeConversation = db.prepare(
    `INSERT INTO routing_conversations (project_id, conversation_id, state, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (project_id, conversation_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
  );
  const forgetOld = db.prepare('DELETE FROM routing_conversations WHERE updated_at < ?');

  const stats = new Map<string, BucketStats>();
  const conversations = new Map<string, ConversationState>();
  const pendingOutcomes = new Map<string, { projectId: string; bucket: string; model: string; add: OutcomeStats }>();
  const pendingConversations = new Map<string, { projectId: string; id: string; state: ConversationState }>();
  const key = (a: string, b: string) => `${a}\u0000${b}`;

  const write = db.transaction(() => {
    for (const p of pendingOutcomes.values()) addStats.run(p.projectId, p.bucket, p.model, p.add.served, p.add.bad);
    for (const p of pendingConversations.values()) writeConversation.run(p.projectId, p.id, JSON.stringify(p.state), p.state.updatedAt);
    forgetOld.run(options.now() - ttlMs);
  });

  function flush(): void {
    if (pendingOutcomes.size === 0 && pendingConversations.size === 0) return;
    if (!db.open) return;
    write();
    pendingOutcomes.clear();
    pendingConversations.clear();
  }

  const timer = setInterval(() => {
    try {
      flush();
    } catch {
      // Kept pending; the next tick tries again.
    }
  }, flushMs);
  timer.unref();

  function bucket(projectId: string, name: string): BucketStats {
    const k = key(projectId, name);
    let found = stats.get(k);
    if (!found) {
      found = {};
      for (const row of readStats.all(projectId, name)) found[row.model] = { served: row.served, bad: row.bad };
      stats.set(k, found);
    }
    return found;
  }

  return {
    async bucketStats(projectId, name) {
      return Object.fromEntries(Object.entries(bucket(projectId, name)).map(([model, s]) => [model, { ...s }]));
    },
    async addOutcome(projectId, name, model, add) {
      const counts = bucket(projectId, name);
      const current = counts[model] ?? { served: 0, bad: 0 };
      counts[model] = { served: current.served + add.served, bad: current.bad + add.bad };
      const pk = `${key(projectId, name)}\u0000${model}`;
      const pending = pendingOutcomes.get(pk);
      if (pending) pending.add = { served: pending.add.served + add.served, bad: pending.add.bad + add.bad };
      else pendingOutcomes.set(pk, { projectId, bucket: name, model, add: { ...add } });
    },
    async getConversation(projectId, id) {
      const k = key(projectId, id);
      const cached = conversations.get(k);
      if (cached) return { ...cached };
      const row = readConversation.get(projectId, id);
      if (!row) return undefined;
      const state = JSON.parse(row.state) as ConversationState;
      if (state.updatedAt < options.now() - ttlMs) return undefined;
      conversations.set(k, state);
      return { ...state };
    },
    async putConversation(projectId, id, state) {
      const k = key(projectId, id);
      conversations.delete(k);
      conversations.set(k, { ...state });
      if (conversations.size > maxCached) conversations.delete(conversations.keys().next().value!);
      pendingConversations.set(k, { projectId, id, state: { ...state } });
    },
    flush,
    close() {
      clearInterval(timer);
      flush();
    },
  };
}
