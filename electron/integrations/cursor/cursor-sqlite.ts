// The ItemTable of a VS Code-style state.vscdb through better-sqlite3. The table's own definition
// (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB) makes a plain INSERT an upsert.
import Database from 'better-sqlite3';
import type { CursorKv, RowValue } from './cursor-settings.ts';

export function openCursorKv(file: string): CursorKv {
  const db = new Database(file, { fileMustExist: true, timeout: 2000 });
  const select = db.prepare<[string], { value: RowValue }>('SELECT value FROM ItemTable WHERE key = ?');
  const upsert = db.prepare<[string, RowValue]>('INSERT OR REPLACE INTO ItemTable (key, value) VALUES (?, ?)');
  const remove = db.prepare<[string]>('DELETE FROM ItemTable WHERE key = ?');
  return {
    get: (key) => select.get(key)?.value ?? undefined,
    set: (key, value) => {
      upsert.run(key, value);
    },
    delete: (key) => {
      remove.run(key);
    },
    checkpoint: () => {
      if (db.pragma('journal_mode', { simple: true }) === 'wal') db.pragma('wal_checkpoint(TRUNCATE)');
    },
    close: () => db.close(),
  };
}
