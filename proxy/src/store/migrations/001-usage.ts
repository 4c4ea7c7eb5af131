// Version 1: one row per request (the usage record) and one per error event.
import type { Migration } from '../migrate.ts';

export const usageTables: Migration = {
  version: 1,
  name: 'usage records and error events',
  up(db) {
    db.exec(`
      CREATE TABLE usage_records (
        seq                INTEGER PRIMARY KEY,
        record_key         TEXT    NOT NULL UNIQUE, -- one per recorded response: replaying the journal twice adds nothing
        id                 TEXT    NOT NULL,        -- the request id (X-Request-Id)
        ts_ms              INTEGER NOT NULL,        -- request start, ms since the epoch (UTC)
        project_id         TEXT    NOT NULL,
        key_id             TEXT,
        client             TEXT,
        endpoint           TEXT    NOT NULL,
        requested_model    TEXT,
        model              TEXT,
        route_reason       TEXT,
        stream             INTEGER NOT NULL,
        status             INTEGER NOT NULL,
        error_type         TEXT,
        latency_ms         INTEGER NOT NULL,
        ttft_ms            INTEGER,
        tokens_before      INTEGER,
        tokens_after       INTEGER,
        reduction_json     TEXT    NOT NULL DEFAULT '{}',
        input_tokens       INTEGER NOT NULL,
        cache_write_tokens INTEGER NOT NULL,
        cache_read_tokens  INTEGER NOT NULL,
        output_tokens      INTEGER NOT NULL,
        cost_usd           REAL    NOT NULL,
        baseline_cost_usd  REAL    NOT NULL,
        cache_hit          TEXT,
        batch              INTEGER NOT NULL
      );
      CREATE INDEX usage_by_time ON usage_records (ts_ms);
      CREATE INDEX usage_by_project_time ON usage_records (project_id, ts_ms);
      CREATE INDEX usage_by_request_id ON usage_records (id);

      CREATE TABLE error_events (
        seq        INTEGER PRIMARY KEY,
        id         TEXT    NOT NULL UNIQUE,
        ts_ms      INTEGER NOT NULL,
        request_id TEXT    NOT NULL,
        project_id TEXT    NOT NULL,
        model      TEXT,
        type       TEXT    NOT NULL,
        status     INTEGER NOT NULL,
        attempt    INTEGER NOT NULL,
        message    TEXT    NOT NULL
      );
      CREATE INDEX errors_by_time ON error_events (ts_ms);
    `);
  },
};
