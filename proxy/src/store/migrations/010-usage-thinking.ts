// Usage records keep what happened to a request's thinking blocks (kept, removed by the gateway, dropped by
// Anthropic), so the dashboard's request detail can show it. NULL for requests without thinking.
import type { Migration } from '../migrate.ts';

export const usageThinking: Migration = {
  version: 10,
  name: 'thinking detail on usage records',
  up(db) {
    db.exec('ALTER TABLE usage_records ADD COLUMN thinking_json TEXT');
  },
};
