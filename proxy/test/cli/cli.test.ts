// The headless CLI as a user runs it: a real process, configured by environment, stopped by signals.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.ts';
import { startCli, type CliProcess } from '../helpers/cli-process.ts';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');
const KEY = 'cli-test-gateway-key-0123';

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic({ apiKey: 'sk-ant-cli-upstream' });
});
after(() => fake.close());

function run(env: Record<string, string>): Promise<CliProcess> {
  return startCli({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cg-cli-')), ...env });
}

const upstreamEnv = () => ({ ANTHROPIC_API_KEY: 'sk-ant-cli-upstream', ANTHROPIC_BASE_URL: fake.url, GATEWAY_API_KEY: KEY });

async function streamChat(url: string) {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'sonnet', stream: true, messages: [{ role: 'user', content: 'a slow answer please' }] }),
  });
  return res;
}

async function readAll(res: Response): Promise<string> {
  return await res.text();
}

describe('CLI', () => {
  test('invalid configuration fails at start naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI], {
      env: { PATH: process.env.PATH ?? '', ...upstreamEnv(), PORT: 'not-a-port', UPSTREAM_TIMEOUT_SECONDS: 'soon' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 78);
    assert.match(stderr, /PORT must be an integer/);
    assert.match(stderr, /UPSTREAM_TIMEOUT_SECONDS must be a number/);
  });

  test('UPSTREAMS_FILE configures several upstreams; the start names them and never prints a secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-upstreams-'));
    const file = join(dir, 'upstreams.json');
    writeFileSync(file, JSON.stringify([{ name: 'team-a', provider: 'anthropic', baseUrl: fake.url, credentials: { apiKey: 'sk-ant-cli-upstream' } }]), { mode: 0o600 });
    const gw = await run({ GATEWAY_API_KEY: KEY, ADMIN_API_KEY: 'cli-test-admin-key-0123456', UPSTREAMS_FILE: file });
    try {
      assert.match(gw.output(), /Upstreams: team-a \(anthropic, weight 1\)/);
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-upstream'), 'team-a');
      assert.doesNotMatch(gw.output(), /sk-ant-cli-upstream/);
    } finally {
      gw.child.kill('SIGTERM');
      await gw.exited;
    }
    const bad = spawn(process.execPath, ['--import', 'tsx', CLI], {
      env: { PATH: process.env.PATH ?? '', GATEWAY_API_KEY: KEY, ADMIN_API_KEY: 'cli-test-admin-key-0123456', UPSTREAMS: '[{"name":"x","provider":"bedrock","credentials":{"accessKeyId":"AKIASECRETVALUE"}}]' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    bad.stderr.on('data', (d) => (stderr += d));
    assert.equal(await new Promise((resolve) => bad.once('exit', resolve)), 78);
    assert.match(stderr, /UPSTREAMS\[0\]\.credentials\.region is required/);
    assert.doesNotMatch(stderr, /AKIASECRETVALUE/);
  });

  test('without GATEWAY_API_KEY a key is generated, kept private, and required', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cg-key-'));
    const env = { ...upstreamEnv(), DATA_DIR: dataDir } as Record<string, string>;
    delete env.GATEWAY_API_KEY;
    const gw = await run(env);
    try {
      const keyFile = join(dataDir, 'gateway-key');
      const key = readFileSync(keyFile, 'utf8').trim();
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      assert.match(gw.output(), new RegExp(key));
      const denied = await fetch(`${gw.url}/v1/models`);
      assert.equal(denied.status, 401);
      const allowed = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(allowed.status, 200);

      // A distinct admin key is made beside it: the gateway key never opens /admin, the admin key does.
      const adminFile = join(dataDir, 'admin-key');
      const adminKey = readFileSync(adminFile, 'utf8').trim();
      assert.notEqual(adminKey, key);
      assert.equal(statSync(adminFile).mode & 0o777, 0o600);
      assert.match(gw.output(), new RegExp(adminKey));
      const gatewayOnAdmin = await fetch(`${gw.url}/admin/usage`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(gatewayOnAdmin.status, 401);
      const adminOnAdmin = await fetch(`${gw.url}/admin/usage`, { headers: { authorization: `Bearer ${adminKey}` } });
      assert.equal(adminOnAdmin.status, 200);
    } finally {
      gw.child.kill('SIGTERM');
      await gw.exited;
    }
  });

  test('SIGTERM lets an in-flight stream finish, then exits 0', async () => {
    fake.setResponder(() => ({ content: [{ type: 'text', text: 'one two three four five six seven eight' }], eventDelayMs: 120 }));
    const gw = await run(upstreamEnv());
    try {
      const res = await streamChat(gw.url);
      assert.equal(res.status, 200);
      const body = readAll(res);
      await new Promise((r) => setTimeout(r, 150));
      gw.child.kill('SIGTERM');
      const text = await body;
      assert.match(text, /data: \[DONE\]\n\n$/);
      assert.equal(await gw.exited, 0);
    } finally {
      fake.setResponder(undefined);
      gw.child.kill('SIGKILL');
    }
  });

  test('a stream still running after the grace period ends with a shutdown error frame', async () => {
    fake.setResponder(() => ({ content: [{ type: 'text', text: 'a b c d e f g h i j k l m n o p' }], eventDelayMs: 400 }));
    const gw = await run({ ...upstreamEnv(), SHUTDOWN_GRACE_SECONDS: '0.3' });
    try {
      const res = await streamChat(gw.url);
      const body = readAll(res);
      await new Promise((r) => setTimeout(r, 100));
      gw.child.kill('SIGTERM');
      const text = await body;
      assert.match(text, /"code":"gateway_shutdown"/);
      assert.doesNotMatch(text, /\[DONE\]/);
      assert.equal(await gw.exited, 0);
    } finally {
      fake.setResponder(undefined);
      gw.child.kill('SIGKILL');
    }
  });
});
