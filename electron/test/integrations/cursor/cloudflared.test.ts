import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { findCloudflared, parseTunnelUrl, QuickTunnel, quickTunnelArgs, waitHealthy } from '../../../integrations/cursor/cloudflared.ts';
import { fakeSpawner } from '../../helpers/fake-process.ts';
import { FIXTURES } from '../../helpers/temp-home.ts';

const LOG = readFileSync(`${FIXTURES}/cursor/cloudflared-quick-tunnel.txt`, 'utf8');

describe('cloudflared output', () => {
  test('finds the quick tunnel URL in cloudflared’s banner and ignores the other links', () => {
    assert.equal(parseTunnelUrl(LOG), 'https://quiet-river-lantern-sample.trycloudflare.com');
    assert.equal(parseTunnelUrl('ERR failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp'), undefined);
    assert.equal(parseTunnelUrl('see https://developers.cloudflare.com/cloudflare-one/'), undefined);
  });

  test('asks for a quick tunnel without auto-update', () => {
    assert.deepEqual(quickTunnelArgs('http://127.0.0.1:8787'), ['tunnel', '--no-autoupdate', '--url', 'http://127.0.0.1:8787']);
  });

  test('looks on PATH, then where Homebrew puts it', () => {
    const present = new Set(['/opt/homebrew/bin/cloudflared']);
    assert.equal(findCloudflared({ PATH: '/usr/bin:/bin' }, 'darwin', (p) => present.has(p)), '/opt/homebrew/bin/cloudflared');
    assert.equal(findCloudflared({ PATH: '/usr/bin:/bin' }, 'linux', (p) => present.has(p)), undefined);
    assert.equal(findCloudflared({ PATH: '/home/me/bin' }, 'linux', (p) => p === '/home/me/bin/cloudflared'), '/home/me/bin/cloudflared');
  });
});

describe('quick tunnel process', () => {
  test('resolves with the URL as soon as it is printed, even split across chunks', async () => {
    const { spawn, spawned } = fakeSpawner((child) => {
      const cut = LOG.indexOf('lantern');
      child.stderr.write(LOG.slice(0, cut));
      setTimeout(() => child.stderr.write(LOG.slice(cut)), 5);
    });
    const tunnel = new QuickTunnel({ binary: '/usr/bin/cloudflared', spawn });
    const url = await tunnel.start('http://127.0.0.1:8787');
    assert.equal(url, 'https://quiet-river-lantern-sample.trycloudflare.com');
    assert.deepEqual([spawned[0]!.command, ...spawned[0]!.args], ['/usr/bin/cloudflared', 'tunnel', '--no-autoupdate', '--url', 'http://127.0.0.1:8787']);
    assert.equal(tunnel.running, true);
    await tunnel.stop();
    assert.deepEqual(spawned[0]!.signals, ['SIGTERM']);
    assert.equal(tunnel.running, false);
    assert.equal(tunnel.url, undefined);
  });

  test('fails when cloudflared exits before printing a URL', async () => {
    const { spawn } = fakeSpawner((child) => {
      child.stderr.write('ERR failed to request quick Tunnel\n');
      child.exit(1);
    });
    const tunnel = new QuickTunnel({ binary: 'cloudflared', spawn });
    await assert.rejects(tunnel.start('http://127.0.0.1:8787'), /exited \(code 1\)/);
    assert.equal(tunnel.running, false);
  });

  test('fails and stops the process when no URL comes in time', async () => {
    const { spawn, spawned } = fakeSpawner();
    const tunnel = new QuickTunnel({ binary: 'cloudflared', spawn, startTimeoutMs: 30 });
    await assert.rejects(tunnel.start('http://127.0.0.1:8787'), /did not report a tunnel URL/);
    assert.deepEqual(spawned[0]!.signals, ['SIGTERM']);
  });

  test('tells its owner when the process dies on its own, not when it was stopped', async () => {
    const { spawn, spawned } = fakeSpawner((child) => child.stderr.write(LOG));
    const tunnel = new QuickTunnel({ binary: 'cloudflared', spawn });
    const exits: Array<number | null> = [];
    tunnel.onExit((code) => exits.push(code));
    await tunnel.start('http://127.0.0.1:8787');
    spawned[0]!.exit(1);
    assert.deepEqual(exits, [1]);
    await tunnel.start('http://127.0.0.1:8787');
    await tunnel.stop();
    assert.deepEqual(exits, [1]);
  });
});

test('health check retries until the tunnel answers', async () => {
  const calls: string[] = [];
  const sleeps: number[] = [];
  const answers = [new Error('ENOTFOUND'), { status: 530 }, { status: 200 }];
  const fetchFn = async (url: string) => {
    calls.push(url);
    const next = answers.shift()!;
    if (next instanceof Error) throw next;
    return next;
  };
  assert.equal(await waitHealthy('https://x-y.trycloudflare.com', fetchFn, async (ms) => void sleeps.push(ms), 5, 100), true);
  assert.deepEqual(calls, Array(3).fill('https://x-y.trycloudflare.com/health'));
  assert.deepEqual(sleeps, [100, 100]);
  assert.equal(await waitHealthy('https://x-y.trycloudflare.com', async () => ({ status: 502 }), async () => {}, 3, 1), false);
});
