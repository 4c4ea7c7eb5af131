// The write-ahead journal of usage records and error events. Each entry is appended with one synchronous write
// before the response that produced it ends, so once a client has its answer the entry is in the operating
// system's hands: a kill -9 of the gateway cannot lose it (only a power cut before the OS writes it out could).
// Entries are inserted into SQLite in batches; after a batch commits the journal is emptied.
//
// Every gateway process keeps its own file (several can share a DATA_DIR). At start a gateway replays the files
// of processes that are no longer running, then deletes them; replaying twice is harmless because each entry
// carries a unique key that the tables refuse to take twice.
import { closeSync, ftruncateSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { PRIVATE_FILE_MODE, ensurePrivateDir } from './private-files.ts';
import { join } from 'node:path';
import type { ErrorEvent } from '../reliability/error-events.ts';
import type { UsageRecord } from '../usage/record.ts';

export type JournalEntry = { kind: 'usage'; key: string; record: UsageRecord } | { kind: 'error'; event: ErrorEvent };

const FILE = /^usage-(\d+)-[A-Za-z0-9]+\.ndjson$/;

export class UsageJournal {
  private fd: number | undefined;
  readonly file: string;

  constructor(
    readonly dir: string,
    token: string,
  ) {
    ensurePrivateDir(dir);
    this.file = join(dir, `usage-${process.pid}-${token}.ndjson`);
    this.fd = openSync(this.file, 'a', PRIVATE_FILE_MODE);
  }

  append(entry: JournalEntry): void {
    if (this.fd === undefined) throw new Error('usage journal is closed');
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
  }

  /** Called once everything appended so far is committed to the database. */
  clear(): void {
    if (this.fd !== undefined) ftruncateSync(this.fd, 0);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    unlinkSync(this.file);
  }
}

/** Journal files left by gateway processes that are gone (crashed, killed). */
export function orphanedJournals(dir: string, isAlive: (pid: number) => boolean = processAlive): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => {
      const match = FILE.exec(name);
      return match !== null && !isAlive(Number(match[1]));
    })
    .map((name) => join(dir, name));
}

/** The entries of one journal file. A last line cut short by a crash is skipped: its write never completed. */
export function readJournal(file: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as JournalEntry;
      if (entry && (entry.kind === 'usage' || entry.kind === 'error')) entries.push(entry);
    } catch {
      // a torn final line
    }
  }
  return entries;
}

export function removeJournal(file: string): void {
  unlinkSync(file);
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
