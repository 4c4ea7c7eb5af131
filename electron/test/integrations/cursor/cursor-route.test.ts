import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { CursorRoute, type CursorRouteDeps, type CursorRouteStatus } from '../../../integrations/cursor/cursor-route.ts';
import { APPLICATION_USER_KEY, PLAIN_KEY_ROW } from '../../../integrations/cursor/cursor-settings.ts';
import { openCursorKv } from '../../../integrations/cursor/cursor-sqlite.ts';
import { BackupLedger } from '../../../integrations/file-edit.ts';
import { cursorStateDb } from '../../../integrations/ide-paths.ts';
import { makeCursorDb, readRows, SAMPLE_APPLICATION_USER } from '../../helpers/cursor-db.ts';
import { fakeSpawner } from '../../helpers/fake-process.ts';
import { FIXTURES, tempHome, type TempHome } from '../../helpers/temp-home.ts';

const LOG = readFileSync(`${FIXTURES}/cursor/cloudflared-quick-tunnel.txt`, 'utf8');
const KEY = 'cg-test-gateway-key-0123456789';
const MODELS = { modelPrefix: 'cg-', defaultModel: 'claude-sonnet-5-5', opusModel: 'claude-opus-5-5', haikuModel: 'claude-haiku-5-5' };

let t: TempHome;
let db: string;
beforeEach(() => {
  t = tempHome();
  db = cursorStateDb({ home: t.home, platform: 'linux', env: {} });
  makeCursorDb(db, { [APPLICATION_USER_KEY]: SAMPLE_APPLICATION_USER, [PLAIN_KEY_ROW]: 'sk-user-openai-key' });
});
afterEach(() => t.remove());

function setup(overrides: Partial<CursorRouteDeps> = {}) {
  let tunnelCount = 0;
  const { spawn, spawned } = fakeSpawner((child) => {
    tunnelCount++;
    child.stderr.write(tunnelCount === 1 ? LOG : LOG.replace('quiet-river-lantern-sample', 'second-tunnel-after-sleep'));
  });
  const exposed: Array<string | null> = [];
  const health = new Map<string, number>();
  const statusChanges: Array<CursorRouteStatus | null> = [];
  let cursorRunning = false;
  const deps: CursorRouteDeps = {
    findCloudflared: () => '/usr/local/bin/cloudflared',
    spawn,
    fetch: async (url) => ({ status: health.get(new URL(url).origin) ?? 200 }),
    sleep: async () => {},
    isCursorRunning: async () => cursorRunning,
    openCursorKv,
    cursorDbFile: db,
    ledger: new BackupLedger(t.path('app-data', 'ide-backups')),
    exposeHost: async (host) => void exposed.push(host),
    onStatusChange: (status) => void statusChanges.push(status),
    stamp: () => 'stamp',
    healthAttempts: 2,
    ...overrides,
  };
  const route = new CursorRoute(deps);
  return { route, spawned, exposed, health, statusChanges, setCursorRunning: (v: boolean) => (cursorRunning = v) };
}

const input = { publicUrl: null, localOrigin: 'http://127.0.0.1:8787', gatewayKey: KEY, models: MODELS, writeCursorSettings: true };

describe('Cursor route', () => {
  test('starts a quick tunnel, allows its host, checks it, writes Cursor’s settings; off stops it all and restores', async () => {
    const before = readRows(db);
    const { route, spawned, exposed } = setup();
    const status = await route.enable(input);
    assert.deepEqual(status.endpoint, {
      baseUrl: 'https://quiet-river-lantern-sample.trycloudflare.com/v1',
      apiKey: KEY,
      models: ['cg-sonnet', 'cg-opus', 'cg-haiku', 'cg-claude-sonnet-5-5', 'cg-claude-opus-5-5', 'cg-claude-haiku-5-5'],
    });
    assert.equal(status.viaTunnel, true);
    assert.equal(status.healthy, true);
    assert.equal(status.cursorSettings, 'written');
    assert.deepEqual(spawned[0]!.args, ['tunnel', '--no-autoupdate', '--url', 'http://127.0.0.1:8787']);
    assert.deepEqual(exposed, ['quiet-river-lantern-sample.trycloudflare.com']);
    const rows = new Map(readRows(db).map((r) => [r.key, r.value]));
    assert.equal(JSON.parse(String(rows.get(APPLICATION_USER_KEY))).openAIBaseUrl, status.endpoint.baseUrl);

    const off = await route.disable();
    assert.deepEqual(off, { cursorSettings: 'restored' });
    assert.deepEqual(spawned[0]!.signals, ['SIGTERM']);
    assert.deepEqual(exposed, ['quiet-river-lantern-sample.trycloudflare.com', null]);
    assert.deepEqual(readRows(db), before);
  });

  test('refuses to expose a gateway without a proper key', async () => {
    const { route, spawned, exposed } = setup();
    await assert.rejects(route.enable({ ...input, gatewayKey: '' }), /without a gateway key/);
    await assert.rejects(route.enable({ ...input, gatewayKey: 'short' }), /without a gateway key/);
    assert.equal(spawned.length, 0);
    assert.deepEqual(exposed, []);
  });

  test('without cloudflared or a public URL it says what to do', async () => {
    const { route } = setup({ findCloudflared: () => undefined });
    await assert.rejects(route.enable(input), /install cloudflared, or set your own public URL/);
  });

  test('uses the user’s own public URL without a tunnel', async () => {
    const { route, spawned, exposed } = setup();
    const status = await route.enable({ ...input, publicUrl: 'https://gateway.example.com', writeCursorSettings: false });
    assert.equal(spawned.length, 0);
    assert.deepEqual(exposed, ['gateway.example.com']);
    assert.equal(status.endpoint.baseUrl, 'https://gateway.example.com/v1');
    assert.equal(status.cursorSettings, 'not-requested');
  });

  test('a tunnel that never answers is stopped and its host withdrawn', async () => {
    const { route, spawned, exposed, health } = setup();
    health.set('https://quiet-river-lantern-sample.trycloudflare.com', 530);
    await assert.rejects(route.enable(input), /did not answer \/health/);
    assert.deepEqual(spawned[0]!.signals, ['SIGTERM']);
    assert.deepEqual(exposed, ['quiet-river-lantern-sample.trycloudflare.com', null]);
  });

  test('with Cursor running its store is not touched, on or off', async () => {
    const before = readRows(db);
    const { route, setCursorRunning } = setup();
    setCursorRunning(true);
    const status = await route.enable(input);
    assert.equal(status.cursorSettings, 'cursor-running');
    assert.match(status.message, /Cursor is running, so paste/);
    assert.deepEqual(readRows(db), before);
    assert.deepEqual(await route.disable(), { cursorSettings: 'cursor-running' });
  });

  test('after sleep a dead tunnel is replaced by a new one and the new URL is reported', async () => {
    const { route, spawned, exposed, health, statusChanges } = setup();
    await route.enable(input);
    health.set('https://quiet-river-lantern-sample.trycloudflare.com', 530);
    await route.onResume();
    assert.equal(spawned.length, 2);
    assert.deepEqual(spawned[0]!.signals, ['SIGTERM']);
    assert.equal(statusChanges.length, 1);
    assert.equal(statusChanges[0]!.publicOrigin, 'https://second-tunnel-after-sleep.trycloudflare.com');
    assert.equal(exposed.at(-1), 'second-tunnel-after-sleep.trycloudflare.com');
    const rows = new Map(readRows(db).map((r) => [r.key, r.value]));
    assert.equal(JSON.parse(String(rows.get(APPLICATION_USER_KEY))).openAIBaseUrl, 'https://second-tunnel-after-sleep.trycloudflare.com/v1');
    await route.disable();
  });

  test('after sleep a healthy tunnel is kept', async () => {
    const { route, spawned, statusChanges } = setup();
    await route.enable(input);
    await route.onResume();
    assert.equal(spawned.length, 1);
    assert.deepEqual(statusChanges, []);
    await route.disable();
  });

  test('a tunnel that crashes is started again', async () => {
    const { route, spawned, statusChanges } = setup();
    await route.enable(input);
    spawned[0]!.exit(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(spawned.length, 2);
    assert.equal(statusChanges[0]!.publicOrigin, 'https://second-tunnel-after-sleep.trycloudflare.com');
    await route.disable();
  });
});
