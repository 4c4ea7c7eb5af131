// Responses the /v1/responses endpoint stored (`store: true`), owned by the project that created them and
// kept until their expiry. Each row holds the items its request added; `previous_response_id` links a
// conversation together, so a long one is not copied into every row.
import type { Migration } from '../migrate.ts';

export const storedResponsesTable: Migration = {
  version: 7,
  name: 'stored responses',
  up(db) {
    db.exec(`
      CREATE TABLE stored_responses (
        id                   TEXT    PRIMARY KEY,
        project_id           TEXT    NOT NULL,
        previous_response_id TEXT,
        created_ms           INTEGER NOT NULL,
        expires_ms           INTEGER NOT NULL,
        input_items          TEXT    NOT NULL,
        response             TEXT    NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX stored_responses_expiry ON stored_responses (expires_ms);
    `);
  },
};
