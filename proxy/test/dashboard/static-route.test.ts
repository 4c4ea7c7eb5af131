// GET /dashboard/*: the built page and its assets are served without a key, with a strict CSP and caching that
// fits hashed file names, never outside the dashboard folder, and with a clear page when it was not built.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { dashboardFile, registerDashboard } from '../../src/http/routes/dashboard.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';

describe('dashboard files', () => {
  let dir: string;
  let app: FastifyInstance;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dashboard-dist-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(dir, 'assets', 'index-abc123.css'), 'body{}');
    app = Fastify({ logger: false });
    registerDashboard(app, { dir });
    await app.ready();
  });

  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('/dashboard redirects to the folder URL so relative assets resolve', async () => {
    const response = await app.inject('/dashboard');
    assert.equal(response.statusCode, 301);
    assert.equal(response.headers.location, '/dashboard/');
  });

  test('the page is served with a strict CSP and no caching', async () => {
    const response = await app.inject('/dashboard/');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'no-cache');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['x-frame-options'], 'DENY');
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-/);
    assert.equal(response.body, '<!doctype html><div id="root"></div>');
  });

  test('hashed assets are cached for good, with their content types', async () => {
    const js = await app.inject('/dashboard/assets/index-abc123.js');
    assert.equal(js.statusCode, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    const css = await app.inject('/dashboard/assets/index-abc123.css');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  });

  test('a missing asset is a 404, a page route gets the page', async () => {
    assert.equal((await app.inject('/dashboard/assets/missing.js')).statusCode, 404);
    const route = await app.inject('/dashboard/requests');
    assert.equal(route.statusCode, 200);
    assert.match(route.body, /id="root"/);
  });

  test('paths that try to leave the folder are refused', async () => {
    for (const path of ['/dashboard/..%2f..%2fpackage.json', '/dashboard/%2e%2e/%2e%2e/etc/passwd', '/dashboard/assets/..%5c..%5cx', '/dashboard/%00']) {
      const response = await app.inject(path);
      assert.equal(response.statusCode, 404, path);
      assert.doesNotMatch(response.body, /root:|"name"/);
    }
    assert.equal(dashboardFile('/srv/dist', '../secret'), null);
    assert.equal(dashboardFile('/srv/dist', 'a/../../secret'), null);
    assert.equal(dashboardFile('/srv/dist', '%E0%A4%A'), null);
    assert.equal(dashboardFile('/srv/dist', ''), '/srv/dist/index.html');
    assert.equal(dashboardFile('/srv/dist', 'assets/a.js'), '/srv/dist/assets/a.js');
  });

  test('an unbuilt dashboard explains how to build it', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'dashboard-empty-'));
    const bare = Fastify({ logger: false });
    registerDashboard(bare, { dir: empty });
    try {
      const response = await bare.inject('/dashboard/');
      assert.equal(response.statusCode, 503);
      assert.match(response.body, /npm run build/);
      // The explanation keeps to the page's own policy (style-src 'self'): no inline style.
      assert.doesNotMatch(response.body, /style=|<style/);
      assert.match(String(response.headers['content-security-policy']), /style-src 'self'/);
    } finally {
      await bare.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('dashboard in the gateway', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness.close());

  test('is open without a key, while the API next to it is not', async () => {
    const page = await harness.app.inject({ url: '/dashboard', headers: { host: '127.0.0.1:8787' } });
    assert.equal(page.statusCode, 301);
    const api = await harness.app.inject({ url: '/v1/models', headers: { host: '127.0.0.1:8787' } });
    assert.equal(api.statusCode, 401);
  });

  test('keeps the Host check against DNS rebinding', async () => {
    const response = await harness.app.inject({ url: '/dashboard/', headers: { host: 'evil.example:8787' } });
    assert.equal(response.statusCode, 403);
  });
});
