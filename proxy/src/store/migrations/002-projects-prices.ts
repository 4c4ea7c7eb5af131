// Version 2: projects with their policies, their API keys (hashes only) and the editable price table.
import type { Migration } from '../migrate.ts';

export const projectAndPriceTables: Migration = {
  version: 2,
  name: 'projects, project keys and prices',
  up(db) {
    db.exec(`
      CREATE TABLE projects (
        id                  TEXT    PRIMARY KEY,
        name                TEXT    NOT NULL,
        rate_limit_rpm      INTEGER,
        tokens_per_minute   INTEGER,
        default_model       TEXT,
        max_tokens_cap      INTEGER,
        allowed_tools_json  TEXT,             -- JSON array, NULL = every enabled tool
        reduction_json      TEXT NOT NULL DEFAULT '{}',
        fallback_chain_json TEXT,             -- JSON array, NULL = the gateway's chain
        created_ms          INTEGER NOT NULL,
        updated_ms          INTEGER NOT NULL,
        deleted_ms          INTEGER           -- kept for the names in old usage reports
      );

      CREATE TABLE project_keys (
        id           TEXT    PRIMARY KEY,     -- pk_…, safe to show and log
        project_id   TEXT    NOT NULL REFERENCES projects (id),
        name         TEXT,
        prefix       TEXT    NOT NULL,        -- cgp_ and the first characters, to recognise a key
        key_hash     TEXT    NOT NULL UNIQUE, -- SHA-256 of the whole key, hex
        created_ms   INTEGER NOT NULL,
        revoked_ms   INTEGER,
        last_used_ms INTEGER
      );
      CREATE INDEX keys_by_project ON project_keys (project_id);

      CREATE TABLE prices (
        model                   TEXT PRIMARY KEY,
        input_per_mtok          REAL NOT NULL,
        output_per_mtok         REAL NOT NULL,
        cache_write_5m_per_mtok REAL NOT NULL,
        cache_write_1h_per_mtok REAL NOT NULL,
        cache_read_per_mtok     REAL NOT NULL,
        batch_discount          REAL NOT NULL,
        long_prompt_json        TEXT,          -- rates for prompts above a size, where the model has them
        source                  TEXT NOT NULL, -- 'shipped' rows follow the gateway's table, 'admin' rows were edited
        updated_ms              INTEGER NOT NULL
      );
    `);
    const now = Date.now();
    db.prepare(`INSERT INTO projects (id, name, created_ms, updated_ms) VALUES ('default', 'Default', ?, ?)`).run(now, now);
  },
};
