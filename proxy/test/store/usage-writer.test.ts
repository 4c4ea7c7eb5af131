// The usage writer: every record journaled at once, inserted in batches (by time or by count), the journal
// emptied after a commit, a failed batch kept and retried; journals of dead processes replayed exactly once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ErrorEvent } from '../../src/reliability/error-events.ts';
import { JOURNAL_DIR, openGatewayStore, type GatewayStore } from '../../src/store/gateway-store.ts';
import { UsageJournal } from '../../src/store/usage-journal.ts';
import { createUsageWriter } from '../../src/store/usage-writer.ts';
import type { BatchInserter } from '../../src/store/usage-table.ts';
import { usageRecord } from '../helpers/usage-fixtures.ts';

const dirs: string[] = [];
const stores: GatewayStore[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-writer-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const errorEvent = (id: string): ErrorEvent => ({
  id, ts: '2026-11-20T10:00:00.000Z', requestId: 'req_1', projectId: 'default', model: 'claude-sonnet-5-5',
  type: 'overloaded_error', status: 529, attempt: 1, message: 'Overloaded',
});

const count = (store: GatewayStore, table = 'usage_records') => (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const journalLines = (_store: GatewayStore) =>
  readdirSync(join(dirs[0]!, JOURNAL_DIR))
    .map((f) => readFileSync(join(dirs[0]!, JOURNAL_DIR, f), 'utf8'))
    .join('')
    .split('\n')
    .filter(Boolean).length;

function open(options: { flushMs?: number; batchSize?: number } = {}): GatewayStore {
  const store = openGatewayStore({ dataDir: dirs[0] ?? tempDir(), flushMs: options.flushMs ?? 30, batchSize: options.batchSize ?? 100 });
  stores.push(store);
  return store;
}

/** A pid that certainly belongs to no running process: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('usage writer', () => {
  test('journals at once, writes the batch after flushMs, then empties the journal', async () => {
    tempDir();
    const store = open({ flushMs: 40 });
    store.usage.appendUsage(usageRecord('r1'));
    store.usage.appendUsage(usageRecord('r2'));
    store.errors.record(errorEvent('e1'));
    assert.equal(journalLines(store), 3);
    assert.equal(count(store), 0);
    assert.equal(store.usage.pending(), 3);
    await sleep(120);
    assert.equal(count(store), 2);
    assert.equal(count(store, 'error_events'), 1);
    assert.equal(journalLines(store), 0);
    assert.equal(store.usage.pending(), 0);
  });

  test('writes at once (next turn of the event loop) when a batch is full', async () => {
    tempDir();
    const store = open({ flushMs: 60_000, batchSize: 5 });
    for (let i = 0; i < 5; i++) store.usage.appendUsage(usageRecord(`r${i}`));
    assert.equal(count(store), 0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(count(store), 5);
  });

  test('flush() writes what waits synchronously (readers call it first)', () => {
    tempDir();
    const store = open({ flushMs: 60_000 });
    store.usage.appendUsage(usageRecord('r1'));
    store.usage.flush();
    assert.equal(count(store), 1);
  });

  test('a failed batch stays in memory and in the journal, and is retried', async () => {
    const dir = tempDir();
    let fail = true;
    const inserted: string[] = [];
    const inserter: BatchInserter = {
      insert(usage) {
        if (fail) throw new Error('SQLITE_FULL');
        inserted.push(...usage.map((u) => u.record.id));
      },
    };
    const journal = new UsageJournal(dir, 'abc');
    const errors: unknown[] = [];
    const writer = createUsageWriter({ journal, inserter, token: 'abc', flushMs: 10, batchSize: 100, onError: (e) => errors.push(e) });
    writer.appendUsage(usageRecord('r1'));
    writer.flush();
    assert.equal(errors.length, 1);
    assert.equal(writer.pending(), 1);
    assert.match(readFileSync(journal.file, 'utf8'), /"id":"r1"/);
    fail = false;
    writer.flush();
    assert.deepEqual(inserted, ['r1']);
    assert.equal(readFileSync(journal.file, 'utf8'), '');
    writer.close();
  });

  test('close() writes what waits and removes its journal', () => {
    const dir = tempDir();
    const store = openGatewayStore({ dataDir: dir, flushMs: 60_000 });
    store.usage.appendUsage(usageRecord('r1'));
    store.close();
    assert.deepEqual(readdirSync(join(dir, JOURNAL_DIR)), []);
    const again = open();
    assert.equal(count(again), 1);
  });
});

describe('journal replay at open', () => {
  function journalOf(pid: number, lines: string[]): string {
    const dir = join(dirs[0]!, JOURNAL_DIR);
    const file = join(dir, `usage-${pid}-dead01.ndjson`);
    openGatewayStore({ dataDir: dirs[0]! }).close(); // creates the folder and the schema
    writeFileSync(file, lines.join(''));
    return file;
  }

  test("a dead process's journal is replayed once, then removed; a torn last line is skipped", () => {
    tempDir();
    const line = (entry: unknown) => `${JSON.stringify(entry)}\n`;
    journalOf(deadPid(), [
      line({ kind: 'usage', key: 'dead01.1', record: usageRecord('r1') }),
      line({ kind: 'usage', key: 'dead01.2', record: usageRecord('r2') }),
      line({ kind: 'error', event: errorEvent('e1') }),
      '{"kind":"usage","key":"dead01.3","rec', // cut off by the crash
    ]);
    const store = open();
    assert.equal(store.recovered, 3);
    assert.equal(count(store), 2);
    assert.equal(count(store, 'error_events'), 1);
    assert.equal(readdirSync(join(dirs[0]!, JOURNAL_DIR)).filter((f) => f.includes('dead01')).length, 0);
  });

  test('entries already written are not written twice', () => {
    tempDir();
    const store = open();
    store.usage.appendUsage(usageRecord('r1'));
    store.usage.flush();
    const key = (store.db.prepare('SELECT record_key FROM usage_records').get() as { record_key: string }).record_key;
    store.close();
    stores.length = 0;
    journalOf(deadPid(), [`${JSON.stringify({ kind: 'usage', key, record: usageRecord('r1') })}\n`]);
    const reopened = open();
    assert.equal(reopened.recovered, 1);
    assert.equal(count(reopened), 1);
  });

  test("a running process's journal is left alone", () => {
    tempDir();
    const file = journalOf(process.pid, [`${JSON.stringify({ kind: 'usage', key: 'live.1', record: usageRecord('r1') })}\n`]);
    const store = open();
    assert.equal(store.recovered, 0);
    assert.equal(count(store), 0);
    assert.ok(readFileSync(file, 'utf8').length > 0);
  });
});
