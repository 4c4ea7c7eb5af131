// Usage records survive the gateway process: a real gateway (the CLI) answers requests and is killed with
// SIGKILL the moment the last response has been read; every completed request is then in the store, once. Also:
// a graceful stop writes everything and leaves no journal, and a database newer than the code stops the CLI.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { JOURNAL_DIR, openGatewayStore } from '../../src/store/gateway-store.ts';
import { requestById } from '../../src/store/usage-queries.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.ts';
import { startCli, type CliProcess } from '../helpers/cli-process.ts';

const KEY = 'durability-gateway-key-0123';
const UPSTREAM_KEY = 'sk-ant-durability-upstream';

let fake: FakeAnthropic;
const dirs: string[] = [];
before(async () => {
  fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY });
});
after(async () => {
  await fake.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-durable-'));
  dirs.push(dir);
  return dir;
}

type Gateway = CliProcess;

function startGateway(dataDir: string, env: Record<string, string> = {}): Promise<Gateway> {
  return startCli({ DATA_DIR: dataDir, ANTHROPIC_API_KEY: UPSTREAM_KEY, ANTHROPIC_BASE_URL: fake.url, GATEWAY_API_KEY: KEY, ...env });
}

interface Sent {
  id: string;
  status: number;
  stream: boolean;
  endpoint: 'chat' | 'messages';
}

/** Mixed traffic, each response read to its very end before the next request. */
async function traffic(url: string, prefix: string, n: number): Promise<Sent[]> {
  const sent: Sent[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${prefix}-${i}`;
    const kind = i % 4;
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-request-id': id };
    let res: Response;
    if (kind === 3) {
      res = await fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { ...headers, 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 64, messages: [{ role: 'user', content: `hello ${i}` }] }),
      });
    } else {
      const model = kind === 2 ? 'gpt-4o' : 'sonnet'; // gpt-4o: a 404 is a completed request too
      res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model, stream: kind === 1, messages: [{ role: 'user', content: `hello ${i}` }] }),
      });
    }
    await res.text();
    sent.push({ id, status: res.status, stream: kind === 1, endpoint: kind === 3 ? 'messages' : 'chat' });
  }
  return sent;
}

function rowsInDatabase(dataDir: string): number {
  const db = new Database(join(dataDir, 'gateway.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM usage_records').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function assertAllRecorded(dataDir: string, sent: Sent[]): void {
  const store = openGatewayStore({ dataDir });
  try {
    const total = (store.db.prepare('SELECT COUNT(*) AS n FROM usage_records').get() as { n: number }).n;
    assert.equal(total, sent.length, 'one record per completed request, none twice');
    for (const s of sent) {
      const record = requestById(store.db, s.id);
      assert.ok(record, `record of ${s.id}`);
      assert.equal(record.status, s.status, s.id);
      assert.equal(record.stream, s.stream, s.id);
      assert.equal(record.endpoint, s.endpoint, s.id);
      if (s.status === 200) {
        assert.ok(record.outputTokens > 0 && record.inputTokens > 0, `${s.id} has its upstream usage`);
        assert.ok(record.costUsd > 0, `${s.id} has a cost`);
      }
    }
  } finally {
    store.close();
  }
}

describe('usage records across a crash', () => {
  test('kill -9 right after the last response: every record is recovered from the journal', async () => {
    const dataDir = tempDir();
    // Batches would only be written after ten minutes: whatever survives, the journal saved.
    const gateway = await startGateway(dataDir, { USAGE_FLUSH_MS: '600000' });
    const sent = await traffic(gateway.url, 'k9', 16);
    gateway.child.kill('SIGKILL');
    assert.equal(await gateway.exited, null);

    assert.equal(rowsInDatabase(dataDir), 0, 'nothing had reached the table before the kill');
    assert.equal(readdirSync(join(dataDir, JOURNAL_DIR)).length, 1, 'the dead process left its journal');
    assert.ok(sent.some((s) => s.status === 404) && sent.some((s) => s.status === 200));
    assertAllRecorded(dataDir, sent);
    assert.deepEqual(readdirSync(join(dataDir, JOURNAL_DIR)), [], 'the journal is removed once replayed');
  });

  test('kill -9 with batches being written meanwhile: nothing lost, nothing twice', async () => {
    const dataDir = tempDir();
    const gateway = await startGateway(dataDir, { USAGE_FLUSH_MS: '5', USAGE_FLUSH_BATCH: '3' });
    const sent = await traffic(gateway.url, 'mix', 24);
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    assertAllRecorded(dataDir, sent);
  });

  test('a graceful stop writes every record and leaves no journal', async () => {
    const dataDir = tempDir();
    const gateway = await startGateway(dataDir, { USAGE_FLUSH_MS: '600000' });
    const sent = await traffic(gateway.url, 'term', 8);
    gateway.child.kill('SIGTERM');
    assert.equal(await gateway.exited, 0);
    assert.equal(rowsInDatabase(dataDir), sent.length);
    assert.deepEqual(readdirSync(join(dataDir, JOURNAL_DIR)), []);
  });

  test('a database newer than the code stops the CLI with a message naming both versions', async () => {
    const dataDir = tempDir();
    openGatewayStore({ dataDir }).close();
    const raw = new Database(join(dataDir, 'gateway.sqlite'));
    raw.pragma('user_version = 42');
    raw.close();
    await assert.rejects(startGateway(dataDir), (error: Error) => {
      assert.match(error.message, /exited 1/);
      assert.match(error.message, /schema version 42/);
      assert.match(error.message, /versions up to \d+/);
      return true;
    });
  });
});
