// Cursor's model settings live in its SQLite state store (User/globalStorage/state.vscdb, table ItemTable), not
// in settings.json: the base URL, "use my OpenAI key" and the user-added model names sit inside one JSON row
// (the reactive storage "applicationUser" blob), the key in its own row. Recent Cursor versions encrypt that key
// row with their own keychain entry (`secret://cursorAuth/openAIKey`), which no other app can or should write:
// then only the URL and models are written and the key is pasted by the user.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupLedger } from '../file-edit.ts';
import type { GatewayEndpoint } from '../gateway-endpoint.ts';

export const APPLICATION_USER_KEY = 'src.vs.platform.reactivestorage.browser.reactiveStorageServiceImpl.persistentStorage.applicationUser';
export const PLAIN_KEY_ROW = 'cursorAuth/openAIKey';
export const SECRET_KEY_ROW = 'secret://cursorAuth/openAIKey';

export type RowValue = string | Buffer;

/** The key-value view of ItemTable this module needs. */
export interface CursorKv {
  get(key: string): RowValue | undefined;
  set(key: string, value: RowValue): void;
  delete(key: string): void;
  /** Folds the write-ahead log into the main file, so a copy of that file is complete. */
  checkpoint(): void;
  close(): void;
}

export type OpenCursorKv = (file: string) => CursorKv;

interface StoredRow {
  /** Value before our first write, base64, and whether it was a blob; null when the row did not exist. */
  original: { data: string; blob: boolean } | null;
  /**
   * What we wrote, as `sha256:<hex>` of its text: enough to tell whether the row is still ours, and no key in
   * clear in the ledger or its history. (Records from older versions hold the text itself.)
   */
  written: string;
}

interface CursorRecord {
  file: string;
  copy: string;
  rows: Record<string, StoredRow>;
  /** The fields our write set, to take them out again if Cursor rewrote the row since. */
  applied: { baseUrl: string; models: string[] };
}

const LEDGER_ID = 'cursor.state-vscdb';

type Json = Record<string, unknown>;

function fingerprint(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

/** Whether a row still holds what we wrote (hashed in current records, plain in older ones). */
function stillOurs(current: RowValue, written: string): boolean {
  const now = text(current);
  return written.startsWith('sha256:') ? fingerprint(now) === written : now === written;
}

function text(value: RowValue): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}

function parseBlob(value: RowValue | undefined): Json {
  if (value === undefined) return {};
  const parsed = JSON.parse(text(value)) as unknown;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : {};
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function withGatewaySettings(blob: Json, endpoint: GatewayEndpoint): Json {
  const aiSettings = typeof blob.aiSettings === 'object' && blob.aiSettings !== null ? { ...(blob.aiSettings as Json) } : {};
  const addAll = (list: unknown) => [...new Set([...stringList(list), ...endpoint.models])];
  aiSettings.userAddedModels = addAll(aiSettings.userAddedModels);
  aiSettings.modelOverrideEnabled = addAll(aiSettings.modelOverrideEnabled);
  return { ...blob, openAIBaseUrl: endpoint.baseUrl, useOpenAIKey: true, aiSettings };
}

export function withoutGatewaySettings(blob: Json, original: Json, applied: CursorRecord['applied']): Json {
  const out: Json = { ...blob };
  if (out.openAIBaseUrl === applied.baseUrl) {
    if ('openAIBaseUrl' in original) out.openAIBaseUrl = original.openAIBaseUrl;
    else delete out.openAIBaseUrl;
    if ('useOpenAIKey' in original) out.useOpenAIKey = original.useOpenAIKey;
    else delete out.useOpenAIKey;
  }
  if (typeof out.aiSettings === 'object' && out.aiSettings !== null) {
    const ai: Json = { ...(out.aiSettings as Json) };
    const before = (typeof original.aiSettings === 'object' && original.aiSettings !== null ? original.aiSettings : {}) as Json;
    for (const field of ['userAddedModels', 'modelOverrideEnabled']) {
      if (!(field in ai)) continue;
      const keep = new Set(stringList(before[field]));
      const list = stringList(ai[field]).filter((id) => keep.has(id) || !applied.models.includes(id));
      if (list.length === 0 && !(field in before)) delete ai[field];
      else ai[field] = list;
    }
    if (Object.keys(ai).length === 0 && !('aiSettings' in original)) delete out.aiSettings;
    else out.aiSettings = ai;
  }
  return out;
}

export interface CursorWriteResult {
  /** False when Cursor keeps its key encrypted: the user pastes the key in Cursor's settings. */
  keyWritten: boolean;
}

export function writeCursorSettings(file: string, open: OpenCursorKv, ledger: BackupLedger, endpoint: GatewayEndpoint, stamp: string): CursorWriteResult {
  if (!existsSync(file)) throw new Error('Cursor’s settings store was not found: open Cursor once, then quit it and try again.');
  const db = open(file);
  try {
    let record = ledger.load<CursorRecord>(LEDGER_ID);
    const blobRow = db.get(APPLICATION_USER_KEY);
    const keyRowEncrypted = db.get(SECRET_KEY_ROW) !== undefined;
    const keyRow = keyRowEncrypted ? undefined : db.get(PLAIN_KEY_ROW);
    if (!record) {
      // A whole-file copy first, then the exact rows we are about to change.
      db.checkpoint();
      const copy = join(ledger.copiesDir(), `state.vscdb.${stamp}.bak`);
      copyFileSync(file, copy);
      const keep = (value: RowValue | undefined): StoredRow['original'] =>
        value === undefined ? null : { data: Buffer.from(value).toString('base64'), blob: typeof value !== 'string' };
      record = {
        file,
        copy,
        rows: {
          [APPLICATION_USER_KEY]: { original: keep(blobRow), written: '' },
          ...(keyRowEncrypted ? {} : { [PLAIN_KEY_ROW]: { original: keep(keyRow), written: '' } }),
        },
        applied: { baseUrl: endpoint.baseUrl, models: endpoint.models },
      };
      ledger.save(LEDGER_ID, record);
    }
    const blob = JSON.stringify(withGatewaySettings(parseBlob(blobRow), endpoint));
    db.set(APPLICATION_USER_KEY, blob);
    record.rows[APPLICATION_USER_KEY]!.written = fingerprint(blob);
    if (!keyRowEncrypted) {
      db.set(PLAIN_KEY_ROW, endpoint.apiKey);
      record.rows[PLAIN_KEY_ROW] = { original: record.rows[PLAIN_KEY_ROW]?.original ?? null, written: fingerprint(endpoint.apiKey) };
    }
    record.applied = { baseUrl: endpoint.baseUrl, models: [...new Set([...record.applied.models, ...endpoint.models])] };
    ledger.save(LEDGER_ID, record);
    return { keyWritten: !keyRowEncrypted };
  } finally {
    db.close();
  }
}

export type CursorRestoreOutcome = 'restored' | 'removed-ours' | 'nothing-to-do';

export function restoreCursorSettings(open: OpenCursorKv, ledger: BackupLedger, stamp: string): CursorRestoreOutcome {
  const record = ledger.load<CursorRecord>(LEDGER_ID);
  if (!record) return 'nothing-to-do';
  if (!existsSync(record.file)) {
    ledger.retire(LEDGER_ID, stamp);
    return 'nothing-to-do';
  }
  const db = open(record.file);
  let outcome: CursorRestoreOutcome = 'restored';
  try {
    for (const [key, row] of Object.entries(record.rows)) {
      const current = db.get(key);
      const original = row.original === null ? undefined : Buffer.from(row.original.data, 'base64');
      const originalValue = original === undefined ? undefined : row.original!.blob ? original : original.toString('utf8');
      if (current !== undefined && stillOurs(current, row.written)) {
        // Unchanged since our write: the exact old row comes back, as text or blob as it was.
        if (originalValue === undefined) db.delete(key);
        else db.set(key, originalValue);
      } else if (key === APPLICATION_USER_KEY && current !== undefined) {
        outcome = 'removed-ours';
        const reverted = withoutGatewaySettings(parseBlob(current), parseBlob(originalValue), record.applied);
        db.set(key, JSON.stringify(reverted));
      } else if (key === PLAIN_KEY_ROW && current !== undefined) {
        // The user typed another key since: theirs now.
        outcome = 'removed-ours';
      }
    }
  } finally {
    db.close();
  }
  ledger.retire(LEDGER_ID, stamp);
  return outcome;
}

export function hasCursorBackup(ledger: BackupLedger): boolean {
  return ledger.has(LEDGER_ID);
}
