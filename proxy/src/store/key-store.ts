// Project keys in SQLite: created (the key returned once), listed by prefix, revoked, and looked up by hash on
// every request that presents one.
import { hashesMatch, hashKey, keyPrefix, newKeyId, newProjectKey } from '../projects/project-keys.ts';
import type { Db } from './sqlite.ts';

export interface KeyInfo {
  id: string;
  name: string | null;
  /** e.g. 'cgp_abcd' */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface KeyStore {
  create(projectId: string, name: string | null): { key: string; info: KeyInfo };
  list(projectId: string): KeyInfo[];
  /** True when the key exists in that project (revoking twice is fine). */
  revoke(projectId: string, keyId: string): boolean;
  /** The live key matching a presented secret, with its project; undefined for unknown or revoked keys. */
  find(secret: string): { keyId: string; projectId: string } | undefined;
  /** Notes a use; written at most once a minute per key. */
  touch(keyId: string): void;
}

/** A row of `project_keys`, as stored (and as the Postgres outbox ships it). */
export interface KeyRow {
  id: string;
  project_id: string;
  name: string | null;
  prefix: string;
  key_hash: string;
  created_ms: number;
  revoked_ms: number | null;
  last_used_ms: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const toInfo = (row: KeyRow): KeyInfo => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: new Date(row.created_ms).toISOString(),
  revokedAt: iso(row.revoked_ms),
  lastUsedAt: iso(row.last_used_ms),
});

const TOUCH_EVERY_MS = 60_000;

/** @param changed is told of every key created or revoked, so caches of callers can drop what they hold. */
export function createKeyStore(db: Db, now: () => number, changed: () => void = () => {}): KeyStore {
  const insert = db.prepare(`
    INSERT INTO project_keys (id, project_id, name, prefix, key_hash, created_ms) VALUES (?, ?, ?, ?, ?, ?)`);
  const byProject = db.prepare('SELECT * FROM project_keys WHERE project_id = ? ORDER BY created_ms, id');
  const byId = db.prepare('SELECT * FROM project_keys WHERE id = ? AND project_id = ?');
  const revoke = db.prepare('UPDATE project_keys SET revoked_ms = ? WHERE id = ? AND project_id = ? AND revoked_ms IS NULL');
  const byHash = db.prepare(`
    SELECT k.* FROM project_keys k JOIN projects p ON p.id = k.project_id
    WHERE k.key_hash = ? AND k.revoked_ms IS NULL AND p.deleted_ms IS NULL`);
  const used = db.prepare('UPDATE project_keys SET last_used_ms = ? WHERE id = ?');
  const lastTouch = new Map<string, number>();

  return {
    create(projectId, name) {
      const key = newProjectKey();
      const id = newKeyId();
      insert.run(id, projectId, name, keyPrefix(key), hashKey(key), now());
      changed();
      return { key, info: toInfo(byId.get(id, projectId) as KeyRow) };
    },
    list: (projectId) => (byProject.all(projectId) as KeyRow[]).map(toInfo),
    revoke(projectId, keyId) {
      if (!byId.get(keyId, projectId)) return false;
      revoke.run(now(), keyId, projectId);
      changed();
      return true;
    },
    find(secret) {
      const hash = hashKey(secret);
      // The lookup is by hash, so its timing says nothing about the secret; the final check is constant-time.
      const row = byHash.get(hash) as KeyRow | undefined;
      if (!row || !hashesMatch(row.key_hash, hash)) return undefined;
      return { keyId: row.id, projectId: row.project_id };
    },
    touch(keyId) {
      const t = now();
      if (t - (lastTouch.get(keyId) ?? -Infinity) < TOUCH_EVERY_MS) return;
      lastTouch.set(keyId, t);
      used.run(t, keyId);
    },
  };
}
