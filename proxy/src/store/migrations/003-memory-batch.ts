// Memories (with their full-text index, embeddings and per-conversation pins), batch jobs with their items, and
// uploaded batch input files. The sqlite-vec index over the embeddings is built at run time by the memory
// store, because its dimension is the embedding model's and the extension may be missing.
import type { Migration } from '../migrate.ts';

export const memoryAndBatchTables: Migration = {
  version: 3,
  name: 'memories, batches and batch files',
  up(db) {
    db.exec(`
      CREATE TABLE memories (
        seq          INTEGER PRIMARY KEY,                -- rowid of the full-text index and the embeddings
        id           TEXT    NOT NULL UNIQUE,            -- mem_…, what the admin API shows
        project_id   TEXT    NOT NULL,
        kind         TEXT    NOT NULL,                   -- requirement | decision | answer | note
        source       TEXT    NOT NULL,                   -- user | assistant | admin
        text         TEXT    NOT NULL,
        text_hash    TEXT    NOT NULL,                   -- of the normalized text: exact duplicates collapse
        seen_count   INTEGER NOT NULL DEFAULT 1,
        recalled_count INTEGER NOT NULL DEFAULT 0,
        created_ms   INTEGER NOT NULL,
        updated_ms   INTEGER NOT NULL,
        UNIQUE (project_id, text_hash)
      );
      CREATE INDEX memories_by_project ON memories (project_id, seq);

      CREATE VIRTUAL TABLE memories_fts USING fts5(text, content='memories', content_rowid='seq', tokenize='porter unicode61');
      CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
        INSERT INTO memories_fts (rowid, text) VALUES (new.seq, new.text);
      END;
      CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
        INSERT INTO memories_fts (memories_fts, rowid, text) VALUES ('delete', old.seq, old.text);
      END;
      CREATE TRIGGER memories_fts_update AFTER UPDATE OF text ON memories BEGIN
        INSERT INTO memories_fts (memories_fts, rowid, text) VALUES ('delete', old.seq, old.text);
        INSERT INTO memories_fts (rowid, text) VALUES (new.seq, new.text);
      END;

      CREATE TABLE memory_embeddings (
        seq    INTEGER NOT NULL REFERENCES memories (seq) ON DELETE CASCADE,
        model  TEXT    NOT NULL,
        dims   INTEGER NOT NULL,
        vector BLOB    NOT NULL,                         -- float32, little-endian
        PRIMARY KEY (seq, model)
      );

      -- What each conversation was given, decided at its first turn and replayed byte for byte after it.
      CREATE TABLE memory_pins (
        project_id       TEXT    NOT NULL,
        conversation_key TEXT    NOT NULL,
        block            TEXT    NOT NULL,               -- '' when nothing was recalled
        memory_ids       TEXT    NOT NULL,               -- JSON array
        created_ms       INTEGER NOT NULL,
        used_ms          INTEGER NOT NULL,
        PRIMARY KEY (project_id, conversation_key)
      );
      CREATE INDEX memory_pins_by_use ON memory_pins (used_ms);

      CREATE TABLE batches (
        id                TEXT    PRIMARY KEY,           -- batch_…
        project_id        TEXT    NOT NULL,
        key_id            TEXT,
        status            TEXT    NOT NULL,              -- OpenAI's batch statuses
        backend           TEXT,                          -- anthropic | live, once chosen
        upstream_id       TEXT,                          -- the Message Batch id
        endpoint          TEXT    NOT NULL,
        completion_window TEXT    NOT NULL,
        input_file_id     TEXT,
        metadata_json     TEXT,
        errors_json       TEXT,                          -- why the whole batch failed
        created_ms        INTEGER NOT NULL,
        expires_ms        INTEGER NOT NULL,
        in_progress_ms    INTEGER,
        finalizing_ms     INTEGER,
        completed_ms      INTEGER,
        failed_ms         INTEGER,
        cancelling_ms     INTEGER,
        cancelled_ms      INTEGER,
        expired_ms        INTEGER
      );
      CREATE INDEX batches_by_project ON batches (project_id, created_ms);
      CREATE INDEX batches_by_status ON batches (status);

      CREATE TABLE batch_items (
        batch_id        TEXT    NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
        idx             INTEGER NOT NULL,
        custom_id       TEXT    NOT NULL,
        requested_model TEXT,
        model           TEXT,
        route_reason    TEXT,
        params_json     TEXT,                            -- the Anthropic request; NULL when it could not be translated
        custom_tools_json TEXT,
        status          TEXT    NOT NULL,                -- pending | succeeded | errored | canceled | expired
        response_json   TEXT,                            -- the chat.completion
        error_json      TEXT,                            -- { status, error: { message, type, param, code } }
        finished_ms     INTEGER,
        PRIMARY KEY (batch_id, idx)
      );
      CREATE INDEX batch_items_pending ON batch_items (batch_id, status);

      CREATE TABLE batch_files (
        id         TEXT    PRIMARY KEY,                  -- file-…
        project_id TEXT    NOT NULL,
        purpose    TEXT    NOT NULL,
        filename   TEXT    NOT NULL,
        bytes      INTEGER NOT NULL,
        content    BLOB    NOT NULL,
        created_ms INTEGER NOT NULL
      );
      CREATE INDEX batch_files_by_project ON batch_files (project_id, created_ms);
    `);
  },
};
