// KeyValueCache in the local SQLite store, for a single gateway (with Redis, replicas share theirs there).
// Expired entries read as misses and are swept now and then, never on the request path's read.
import type { KeyValueCache } from '../shared-state/shared-state.ts';
import type { Db } from './sqlite.ts';

export function createSqliteCache(db: Db, namespace: string, now: () => number = Date.now): KeyValueCache & { sweep(): number } {
  const read = db.prepare('SELECT value FROM cache_entries WHERE namespace = ? AND key = ? AND expires_ms > ?');
  const write = db.prepare(
    'INSERT INTO cache_entries (namespace, key, value, expires_ms) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms',
  );
  const purge = db.prepare('DELETE FROM cache_entries WHERE namespace = ? AND expires_ms <= ?');
  let writes = 0;
  const sweep = () => purge.run(namespace, now()).changes;
  return {
    async get(key) {
      const row = read.get(namespace, key, now()) as { value: string } | undefined;
      return row?.value;
    },
    async set(key, value, ttlSeconds) {
      if (ttlSeconds <= 0) return;
      write.run(namespace, key, value, now() + ttlSeconds * 1000);
      if (++writes % 500 === 0) sweep();
    },
    sweep,
  };
}
