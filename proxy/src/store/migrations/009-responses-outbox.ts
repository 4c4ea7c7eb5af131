// Stored responses travel to Postgres (DATABASE_URL) through the outbox like projects and memories, so another
// replica can continue a conversation, read or list it. A deletion travels too (Postgres keeps a tombstone).
import type { Migration } from '../migrate.ts';

const CAPTURING = 'WHEN (SELECT capture = 1 AND applying = 0 FROM replication_state WHERE id = 1)';

export const responsesOutbox: Migration = {
  version: 9,
  name: 'stored responses in the outbox',
  up(db) {
    db.exec(`
      CREATE TRIGGER outbox_response_insert AFTER INSERT ON stored_responses ${CAPTURING}
      BEGIN INSERT INTO outbox (kind, ref) VALUES ('response', NEW.id); END;
      CREATE TRIGGER outbox_response_delete AFTER DELETE ON stored_responses ${CAPTURING}
      BEGIN INSERT INTO outbox (kind, ref) VALUES ('response', OLD.id); END;
    `);
  },
};
