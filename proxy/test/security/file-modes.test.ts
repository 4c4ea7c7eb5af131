// Under umask 000 (the worst case: nothing taken away from what open() asks for) the data folder is 0700 and every
// file the gateway writes there is 0600: SQLite and its -wal/-shm, the usage journal, kept keys. Files left
// world-readable by an older version are tightened on the next start.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeConfig } from '../../src/config/config.ts';
import { buildGateway } from '../../src/http/app.ts';
import { keptSecret } from '../../src/store/private-files.ts';
import { ADMIN_KEY, GATEWAY_KEY } from '../helpers/harness.ts';

let previous: number;
const root = mkdtempSync(join(tmpdir(), 'cg-modes-'));
before(() => {
  previous = process.umask(0o000);
});
after(() => {
  process.umask(previous);
  rmSync(root, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

function everyEntry(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map((name) => join(dir, String(name)));
}

test('the data folder and everything the gateway writes in it are owner-only', async () => {
  const dataDir = join(root, 'data', 'nested');
  const app = buildGateway(makeConfig({ gatewayApiKey: GATEWAY_KEY, adminApiKey: ADMIN_KEY, dataDir }), { logger: false });
  await app.ready();
  // A request writes a usage record: the journal and the database's WAL exist now.
  await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${GATEWAY_KEY}` } });
  app.gatewayContext.store.usage.flush();
  keptSecret(join(dataDir, 'admin-key'), () => 'cga-secret-0123456789', () => undefined);
  try {
    assert.equal(mode(dataDir), 0o700);
    const entries = everyEntry(dataDir);
    assert.ok(entries.some((p) => p.endsWith('gateway.sqlite-wal')), entries.join(', '));
    for (const entry of entries) {
      const stat = statSync(entry);
      assert.equal(stat.mode & 0o777, stat.isDirectory() ? 0o700 : 0o600, entry);
    }
  } finally {
    await app.close();
  }
});

test('files an older version left readable are tightened at start', async () => {
  const dataDir = join(root, 'old');
  const first = buildGateway(makeConfig({ gatewayApiKey: GATEWAY_KEY, adminApiKey: ADMIN_KEY, dataDir }), { logger: false });
  await first.ready();
  await first.close();
  chmodSync(dataDir, 0o755);
  for (const entry of everyEntry(dataDir)) if (statSync(entry).isFile()) chmodSync(entry, 0o644);
  writeFileSync(join(dataDir, 'gateway-key'), 'cg-old-key-0123456789\n', { mode: 0o644 });

  keptSecret(join(dataDir, 'gateway-key'), () => 'unused', () => undefined);
  const again = buildGateway(makeConfig({ gatewayApiKey: GATEWAY_KEY, adminApiKey: ADMIN_KEY, dataDir }), { logger: false });
  await again.ready();
  try {
    assert.equal(mode(dataDir), 0o700);
    assert.equal(mode(join(dataDir, 'gateway.sqlite')), 0o600);
    assert.equal(mode(join(dataDir, 'gateway-key')), 0o600);
  } finally {
    await again.close();
  }
});
