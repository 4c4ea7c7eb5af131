// The outbox that carries local writes to Postgres (DATABASE_URL). Triggers add one row per usage record, error
// event, project change and key change in the same transaction as the write itself, so nothing committed
// locally can miss the outbox; a background shipper sends the rows and deletes them once Postgres committed.
// Triggers only fire while `capture` is on (Postgres configured) and not while rows pulled from Postgres are
// being applied (`applying`), which would send them straight back.
import type { Migration } from '../migrate.ts';

const CAPTURING = 'WHEN (SELECT capture = 1 AND applying = 0 FROM replication_state WHERE id = 1)';

export const postgresOutbox: Migration = {
  version: 4,
  name: 'outbox for Postgres replication',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        seq  INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,   -- usage | error | project | key
        ref  TEXT NOT NULL    -- usage_records.seq, error_events.id, projects.id, project_keys.id
      );

      CREATE TABLE replication_state (
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        capture        INTEGER NOT NULL DEFAULT 0,
        applying       INTEGER NOT NULL DEFAULT 0,
        target         TEXT,                      -- the Postgres (its instance id) the outbox is filled for
        pulled_version INTEGER NOT NULL DEFAULT 0 -- project/key changes in that Postgres seen up to here
      );
      INSERT INTO replication_state (id) VALUES (1);

      CREATE TRIGGER outbox_usage AFTER INSERT ON usage_records ${CAPTURING}
      BEGIN INSERT INTO outbox (kind, ref) VALUES ('usage', NEW.seq); END;
      CREATE TRIGGER outbox_error AFTER INSERT ON error_events ${CAPTURING}
      BEGIN INSERT INTO outbox (kind, ref) VALUES ('error', NEW.id); END;
      CREATE TRIGGER outbox_project_insert AFTER INSERT ON projects ${CAPTURING}
      BEGIN INSERT INTO outbox (kind, ref) VALUES ('project', NEW.id); END;
      CREATE TRIGGER outbox_project_update AFTER UPDATE ON projects ${CAPTURING}
      BEGIN INSERT INTO outbox (kind, ref) VALUES ('project', NEW.id); END;
      CREATE TRIGGER outbox_key_insert AFTER INSERT ON project_keys ${CAPTURING}
      BEGIN INSERT INTO outbox (kind, ref) VALUES ('key', NEW.id); END;
      CREATE TRIGGER outbox_key_update AFTER UPDATE ON project_keys ${CAPTURING}
      BEGIN INSERT INTO outbox (kind, ref) VALUES ('key', NEW.id); END;
    `);
  },
};
