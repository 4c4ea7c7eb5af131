// Opens the gateway's SQLite database. WAL lets the admin API read while requests write; synchronous=NORMAL
// makes a commit durable against a crash of the process (kill -9 included) without an fsync per commit — only
// a power loss can take the last commits, and the usage journal is there for what is not yet committed.
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile, tightenFile } from './private-files.ts';

export type Db = Database.Database;

export const DATABASE_FILE = 'gateway.sqlite';

export function openSqlite(file: string): Db {
  if (file !== ':memory:') {
    ensurePrivateDir(dirname(file));
    // SQLite creates its -wal, -shm and -journal files with the database file's own mode: 0600 for all.
    ensurePrivateFile(file);
    for (const suffix of ['-wal', '-shm', '-journal']) tightenFile(file + suffix);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Another gateway on the same DATA_DIR (desktop app and headless) may hold the write lock for a moment.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}

/** A JSON column's text for a value that may be absent: SQL NULL for null or undefined. */
export function jsonColumn(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
