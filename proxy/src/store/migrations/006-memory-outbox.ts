// Memories join the Postgres outbox: a row per memory added, changed or deleted, and per embedding written, in
// the same transaction as the write. The outbox names the memory by id; the shipper sends the memory as it is
// then (with its embeddings), or a tombstone when it is gone. Same conditions as the other outbox triggers.
import type { Migration } from '../migrate.ts';

const CAPTURING = 'WHEN (SELECT capture = 1 AND applying = 0 FROM replication_state WHERE id = 1)';

export const memoryOutbox: Migration = {
  version: 6,
  name: 'memories in the Postgres outbox',
  up(db) {
    db.exec(`
      -- The Postgres column type embeddings went into: 'vector' (pgvector) or 'real[]' (without it).
      ALTER TABLE replication_state ADD COLUMN embedding_column TEXT;

      CREATE TRIGGER outbox_memory_insert AFTER INSERT ON memories ${CAPTURING}
      BEGIN INSERT INTO outbox (kind, ref) VALUES ('memory', NEW.id); END;
      CREATE TRIGGER outbox_memory_update AFTER UPDATE ON memories ${CAPTURING}
      BEGIN INSERT INTO outbox (kind, ref) VALUES ('memory', NEW.id); END;
      CREATE TRIGGER outbox_memory_delete AFTER DELETE ON memories ${CAPTURING}
      BEGIN INSERT INTO outbox (kind, ref) VALUES ('memory', OLD.id); END;
      CREATE TRIGGER outbox_memory_embedding AFTER INSERT ON memory_embeddings ${CAPTURING}
      BEGIN INSERT INTO outbox (kind, ref) SELECT 'memory', id FROM memories WHERE seq = NEW.seq; END;

      -- A gateway already replicating sends the memories it kept before this version once.
      INSERT INTO outbox (kind, ref)
        SELECT 'memory', id FROM memories WHERE (SELECT capture FROM replication_state WHERE id = 1) = 1 ORDER BY seq;
    `);
  },
};
