// A Cursor-like state.vscdb: the same table definition and the kinds of rows Cursor keeps.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { APPLICATION_USER_KEY } from '../../integrations/cursor/cursor-settings.ts';

export const SAMPLE_APPLICATION_USER = JSON.stringify({
  aiSettings: {
    modelConfig: { composer: { modelName: 'claude-4.5-sonnet', maxMode: false } },
    userAddedModels: ['my-local-model'],
  },
  membershipType: 'pro',
  cppEnabled: true,
  openAIBaseUrl: '',
  useOpenAIKey: false,
});

export function makeCursorDb(file: string, rows: Record<string, string | Buffer>): void {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
  db.exec('CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
  const insert = db.prepare('INSERT INTO ItemTable (key, value) VALUES (?, ?)');
  insert.run('workbench.colorTheme', 'Cursor Dark');
  insert.run('telemetry.machineId', 'a1b2c3');
  for (const [key, value] of Object.entries(rows)) insert.run(key, value);
  db.close();
}

export function readRows(file: string): Array<{ key: string; value: string | Buffer }> {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT key, value FROM ItemTable ORDER BY key').all() as Array<{ key: string; value: string | Buffer }>;
  db.close();
  return rows;
}

export function setRow(file: string, key: string, value: string): void {
  const db = new Database(file);
  db.prepare('INSERT INTO ItemTable (key, value) VALUES (?, ?)').run(key, value);
  db.close();
}

export { APPLICATION_USER_KEY };
