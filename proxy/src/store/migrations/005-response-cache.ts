// The local response cache: complete answers by canonical request hash, with an expiry. Replicas sharing
// Redis keep it there instead.
import type { Migration } from '../migrate.ts';

export const responseCacheTable: Migration = {
  version: 5,
  name: 'response cache',
  up(db) {
    db.exec(`
      CREATE TABLE cache_entries (
        namespace  TEXT    NOT NULL,
        key        TEXT    NOT NULL,
        value      TEXT    NOT NULL,
        expires_ms INTEGER NOT NULL,
        PRIMARY KEY (namespace, key)
      ) WITHOUT ROWID;
      CREATE INDEX cache_entries_expiry ON cache_entries (expires_ms);
    `);
  },
};
