// Spend budgets per project and per key, and the money spent against them per period. Replicas sharing Redis
// keep both there instead; these tables serve a gateway on its own.
import type { Migration } from '../migrate.ts';

export const budgetTables: Migration = {
  version: 8,
  name: 'spend budgets',
  up(db) {
    db.exec(`
      CREATE TABLE budgets (
        scope        TEXT    NOT NULL,       -- 'project' or 'key'
        subject      TEXT    NOT NULL,       -- project id or key id
        period       TEXT    NOT NULL,       -- 'day', 'week' or 'month'
        limit_usd    REAL    NOT NULL,
        soft_percent REAL    NOT NULL,
        total_usd    REAL,                   -- lifetime cap, NULL = none
        updated_ms   INTEGER NOT NULL,
        PRIMARY KEY (scope, subject)
      ) WITHOUT ROWID;

      CREATE TABLE budget_spend (
        subject    TEXT    NOT NULL,         -- 'project:<id>' or 'key:<id>'
        bucket     TEXT    NOT NULL,         -- 'day:2026-12-07', 'week:2026-12-07', 'month:2026-12' or 'total'
        micro_usd  INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL,
        PRIMARY KEY (subject, bucket)
      ) WITHOUT ROWID;
    `);
  },
};
