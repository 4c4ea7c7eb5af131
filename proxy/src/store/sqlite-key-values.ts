// Durable key-values in the local SQLite store (the cache_entries table, one namespace), with batched reads
// and a bound on both age and count. Expired and surplus entries are swept every few hundred writes, never on
// a read.
import type { DurableKeyValues } from './thinking-store.ts';
import type { Db } from './sqlite.ts';

const SWEEP_EVERY = 200;
// SQLite's default limit on bound parameters is far above this; larger reads are split.
const READ_BATCH = 200;

export function createSqliteKeyValues(db: Db, namespace: string, maxEntries: number, now: () => number = Date.now): DurableKeyValues & { sweep(): void } {
  const write = db.prepare(
    'INSERT INTO cache_entries (namespace, key, value, expires_ms) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms',
  );
  const purgeExpired = db.prepare('DELETE FROM cache_entries WHERE namespace = ? AND expires_ms <= ?');
  const purgeSurplus = db.prepare(
    'DELETE FROM cache_entries WHERE namespace = ? AND key IN ' +
      '(SELECT key FROM cache_entries WHERE namespace = ? ORDER BY expires_ms DESC LIMIT -1 OFFSET ?)',
  );
  const readers = new Map<number, ReturnType<Db['prepare']>>();
  const reader = (n: number) => {
    let statement = readers.get(n);
    if (!statement) {
      const marks = new Array(n).fill('?').join(', ');
      statement = db.prepare(`SELECT key, value FROM cache_entries WHERE namespace = ? AND expires_ms > ? AND key IN (${marks})`);
      readers.set(n, statement);
    }
    return statement;
  };
  let writes = 0;
  const sweep = () => {
    purgeExpired.run(namespace, now());
    purgeSurplus.run(namespace, namespace, maxEntries);
  };
  return {
    async getMany(keys) {
      const found = new Map<string, string>();
      for (let i = 0; i < keys.length; i += READ_BATCH) {
        const part = keys.slice(i, i + READ_BATCH);
        for (const row of reader(part.length).all([namespace, now(), ...part]) as Array<{ key: string; value: string }>) {
          found.set(row.key, row.value);
        }
      }
      return keys.map((key) => found.get(key));
    },
    async set(key, value, ttlMs) {
      write.run(namespace, key, value, now() + ttlMs);
      if (++writes % SWEEP_EVERY === 0) sweep();
    },
    sweep,
  };
}
