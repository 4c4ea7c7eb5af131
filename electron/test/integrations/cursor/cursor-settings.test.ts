import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { BackupLedger } from '../../../integrations/file-edit.ts';
import {
  APPLICATION_USER_KEY,
  PLAIN_KEY_ROW,
  restoreCursorSettings,
  SECRET_KEY_ROW,
  writeCursorSettings,
} from '../../../integrations/cursor/cursor-settings.ts';
import { openCursorKv } from '../../../integrations/cursor/cursor-sqlite.ts';
import { cursorStateDb } from '../../../integrations/ide-paths.ts';
import { makeCursorDb, readRows, SAMPLE_APPLICATION_USER, setRow } from '../../helpers/cursor-db.ts';
import { tempHome, type TempHome } from '../../helpers/temp-home.ts';

const ENDPOINT = {
  baseUrl: 'https://quiet-river-lantern-sample.trycloudflare.com/v1',
  apiKey: 'cg-test-gateway-key-0123456789',
  models: ['cg-sonnet', 'cg-opus', 'cg-haiku'],
};

let t: TempHome;
let db: string;
let ledger: BackupLedger;
beforeEach(() => {
  t = tempHome();
  db = cursorStateDb({ home: t.home, platform: 'darwin', env: {} });
  ledger = new BackupLedger(t.path('app-data', 'ide-backups'));
});
afterEach(() => t.remove());

test('writes the base URL, key and models into Cursor’s store and puts every row back exactly', () => {
  makeCursorDb(db, { [APPLICATION_USER_KEY]: SAMPLE_APPLICATION_USER, [PLAIN_KEY_ROW]: 'sk-user-openai-key' });
  assert.ok(db.endsWith('Library/Application Support/Cursor/User/globalStorage/state.vscdb'));
  const before = readRows(db);

  const result = writeCursorSettings(db, openCursorKv, ledger, ENDPOINT, 's1');
  assert.deepEqual(result, { keyWritten: true });
  const rows = new Map(readRows(db).map((r) => [r.key, r.value]));
  const blob = JSON.parse(String(rows.get(APPLICATION_USER_KEY)));
  assert.equal(blob.openAIBaseUrl, 'https://quiet-river-lantern-sample.trycloudflare.com/v1');
  assert.equal(blob.useOpenAIKey, true);
  assert.deepEqual(blob.aiSettings.userAddedModels, ['my-local-model', 'cg-sonnet', 'cg-opus', 'cg-haiku']);
  assert.deepEqual(blob.aiSettings.modelOverrideEnabled, ['cg-sonnet', 'cg-opus', 'cg-haiku']);
  assert.deepEqual(blob.aiSettings.modelConfig, { composer: { modelName: 'claude-4.5-sonnet', maxMode: false } });
  assert.equal(blob.membershipType, 'pro');
  assert.equal(rows.get(PLAIN_KEY_ROW), 'cg-test-gateway-key-0123456789');
  assert.equal(rows.get('workbench.colorTheme'), 'Cursor Dark');
  assert.equal(readdirSync(t.path('app-data', 'ide-backups', 'copies')).length, 1, 'a whole-file copy was kept');

  assert.equal(restoreCursorSettings(openCursorKv, ledger, 's2'), 'restored');
  assert.deepEqual(readRows(db), before);
});

test('no backup or history file holds the gateway key in clear', () => {
  makeCursorDb(db, { [APPLICATION_USER_KEY]: SAMPLE_APPLICATION_USER, [PLAIN_KEY_ROW]: 'sk-user-openai-key' });
  writeCursorSettings(db, openCursorKv, ledger, ENDPOINT, 's1');
  const scan = () => {
    const root = t.path('app-data', 'ide-backups');
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const bytes = readFileSync(join(entry.parentPath, entry.name));
      assert.equal(bytes.includes(ENDPOINT.apiKey), false, `${entry.name} holds the key`);
    }
  };
  scan();
  assert.equal(restoreCursorSettings(openCursorKv, ledger, 's2'), 'restored');
  scan();
  assert.equal(rowsOf(db).get(PLAIN_KEY_ROW), 'sk-user-openai-key', 'the user’s own key came back');
});

const rowsOf = (file: string) => new Map(readRows(file).map((r) => [r.key, r.value]));

test('leaves an encrypted key row alone and says the key must be pasted', () => {
  const encrypted = Buffer.from('v10\x01\x02\x03 encrypted by Cursor', 'latin1');
  makeCursorDb(db, { [APPLICATION_USER_KEY]: SAMPLE_APPLICATION_USER, [SECRET_KEY_ROW]: encrypted });
  const before = readRows(db);
  assert.deepEqual(writeCursorSettings(db, openCursorKv, ledger, ENDPOINT, 's1'), { keyWritten: false });
  const rows = new Map(readRows(db).map((r) => [r.key, r.value]));
  assert.deepEqual(rows.get(SECRET_KEY_ROW), encrypted);
  assert.equal(rows.has(PLAIN_KEY_ROW), false);
  restoreCursorSettings(openCursorKv, ledger, 's2');
  assert.deepEqual(readRows(db), before);
});

test('rows that did not exist are removed again', () => {
  makeCursorDb(db, {});
  const before = readRows(db);
  writeCursorSettings(db, openCursorKv, ledger, ENDPOINT, 's1');
  assert.equal(readRows(db).length, before.length + 2);
  restoreCursorSettings(openCursorKv, ledger, 's2');
  assert.deepEqual(readRows(db), before);
});

test('when Cursor rewrote its settings since, only our fields are taken out', () => {
  makeCursorDb(db, { [APPLICATION_USER_KEY]: SAMPLE_APPLICATION_USER });
  writeCursorSettings(db, openCursorKv, ledger, ENDPOINT, 's1');
  const changed = JSON.parse(String(new Map(readRows(db).map((r) => [r.key, r.value])).get(APPLICATION_USER_KEY)));
  changed.cppEnabled = false;
  changed.aiSettings.userAddedModels.push('another-model');
  setRow(db, APPLICATION_USER_KEY, JSON.stringify(changed));

  assert.equal(restoreCursorSettings(openCursorKv, ledger, 's2'), 'removed-ours');
  const blob = JSON.parse(String(new Map(readRows(db).map((r) => [r.key, r.value])).get(APPLICATION_USER_KEY)));
  const original = JSON.parse(SAMPLE_APPLICATION_USER);
  assert.deepEqual(blob, { ...original, cppEnabled: false, aiSettings: { ...original.aiSettings, userAddedModels: ['my-local-model', 'another-model'] } });
});

test('refuses to create Cursor’s store when Cursor was never run', () => {
  assert.throws(() => writeCursorSettings(db, openCursorKv, ledger, ENDPOINT, 's1'), /open Cursor once/);
  assert.equal(existsSync(db), false);
});
