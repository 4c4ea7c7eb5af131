// Reversible edits of other programs' configuration files. Before the first change the file's exact bytes (or
// its absence) are saved in a backup ledger in the app's data folder; turning the toggle off puts those bytes
// back when the file is still what we wrote. When the user (or the IDE) changed the file since, only our own
// entries are taken out, so their later edits survive, and the original stays in the ledger's history folder.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface EditRecord {
  path: string;
  /** The file's bytes before our first edit, base64; null when it did not exist. */
  original: string | null;
  /** sha256 of what we last wrote. */
  written: string;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a config behind. */
export function writeFileAtomic(path: string, data: string | Buffer, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const existingMode = existsSync(path) ? statSync(path).mode & 0o777 : undefined;
  const finalMode = existingMode ?? mode ?? 0o644;
  const temp = `${path}.coding-gateway-${process.pid}.tmp`;
  writeFileSync(temp, data, { mode: finalMode });
  chmodSync(temp, finalMode);
  renameSync(temp, path);
}

export class BackupLedger {
  constructor(private readonly dir: string) {}

  private file(id: string): string {
    return join(this.dir, `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  }

  load<T = EditRecord>(id: string): T | undefined {
    const data = readIfExists(this.file(id));
    return data ? (JSON.parse(data.toString('utf8')) as T) : undefined;
  }

  save<T = EditRecord>(id: string, record: T): void {
    // Backups can hold other tools' keys (a Cline secrets file), so they are owner-only like the originals.
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(this.file(id), JSON.stringify(record, null, 2), 0o600);
  }

  /** Moves a finished record into history instead of deleting it: the original bytes stay recoverable. */
  retire(id: string, stamp: string): void {
    const from = this.file(id);
    if (!existsSync(from)) return;
    const historyDir = join(this.dir, 'history');
    mkdirSync(historyDir, { recursive: true, mode: 0o700 });
    renameSync(from, join(historyDir, `${stamp}-${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`));
  }

  has(id: string): boolean {
    return existsSync(this.file(id));
  }

  /** A folder beside the records for whole-file safety copies (Cursor's database). */
  copiesDir(): string {
    const dir = join(this.dir, 'copies');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }
}

export interface FileEdit {
  /** Ledger id, stable per file and toggle (e.g. "continue.config"). */
  id: string;
  path: string;
  /** Mode for a file we create (secrets files are owner-only). */
  mode?: number;
  /** Our change applied to the current text (undefined: no file yet). Must be idempotent. */
  apply(current: string | undefined): string;
  /** Our entries taken out of text someone changed since; `original` is what was there before us. */
  remove(current: string, original: string | undefined): string | undefined;
}

export function applyEdit(ledger: BackupLedger, edit: FileEdit): void {
  const currentBytes = readIfExists(edit.path);
  let record = ledger.load(edit.id);
  if (!record) {
    // Saved before the file is touched: whatever happens next, the original can be put back.
    record = { path: edit.path, original: currentBytes ? currentBytes.toString('base64') : null, written: '' };
    ledger.save(edit.id, record);
  }
  const next = Buffer.from(edit.apply(currentBytes?.toString('utf8')), 'utf8');
  if (!currentBytes || !currentBytes.equals(next)) writeFileAtomic(edit.path, next, edit.mode);
  ledger.save(edit.id, { ...record, written: sha256(next) });
}

export type RevertOutcome = 'restored' | 'removed-ours' | 'nothing-to-do';

export function revertEdit(ledger: BackupLedger, edit: FileEdit, stamp: string): RevertOutcome {
  const record = ledger.load(edit.id);
  if (!record) return 'nothing-to-do';
  const current = readIfExists(edit.path);
  const original = record.original === null ? undefined : Buffer.from(record.original, 'base64');
  let outcome: RevertOutcome;
  if (current && sha256(current) === record.written) {
    // Untouched since our write: the exact original bytes come back (or the file goes, if there was none).
    if (original) writeFileAtomic(edit.path, original);
    else rmSync(edit.path, { force: true });
    outcome = 'restored';
  } else if (current) {
    const next = edit.remove(current.toString('utf8'), original?.toString('utf8'));
    if (next === undefined) rmSync(edit.path, { force: true });
    else if (next !== current.toString('utf8')) writeFileAtomic(edit.path, next);
    outcome = 'removed-ours';
  } else {
    outcome = 'nothing-to-do';
  }
  ledger.retire(edit.id, stamp);
  return outcome;
}
