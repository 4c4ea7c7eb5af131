import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { makeConfig, type GatewayConfig } from '../../../proxy/src/config/config.ts';
import { buildGateway } from '../../../proxy/src/http/app.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../../../proxy/test/fake-anthropic/server.ts';
import { createGatewayHost } from '../../gateway/gateway-host.ts';

const KEY = 'desktop-gateway-key-0123456789';
const UPSTREAM_KEY = 'sk-ant-desktop-fake';

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY });
});
after(async () => {
  await fake.close();
});

function config(overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return makeConfig({
    gatewayApiKey: KEY,
    anthropicApiKey: UPSTREAM_KEY,
    anthropicBaseUrl: fake.url,
    host: '127.0.0.1',
    port: 0,
    shutdownGraceMs: 10_000,
    logLevel: 'silent',
    ...overrides,
  });
}

function trackingBuild() {
  const apps: Array<{ app: FastifyInstance; config: GatewayConfig; closed: boolean }> = [];
  const build = (cfg: GatewayConfig) => {
    const app = buildGateway(cfg, { logger: false });
    const entry = { app, config: cfg, closed: false };
    app.addHook('onClose', async () => {
      entry.closed = true;
    });
    apps.push(entry);
    return app;
  };
  return { apps, build };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function chat(port: number, body: object, headers: Record<string, string> = {}) {
  return fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'sonnet', messages: [{ role: 'user', content: 'hello' }], ...body }),
  });
}

/** Text carried by an SSE body's content deltas, and whether it ended with [DONE]. */
function readStream(sse: string): { text: string; done: boolean; errors: number } {
  let text = '';
  let done = false;
  let errors = 0;
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const data = line.slice(6);
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    const chunk = JSON.parse(data);
    if (chunk.error) errors++;
    text += chunk.choices?.[0]?.delta?.content ?? '';
  }
  return { text, done, errors };
}

/** GET /health with a chosen Host header (fetch forbids setting Host). */
function healthAs(port: number, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', headers: { host: hostHeader }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const SLOW_ANSWER = 'The quick brown fox jumps over the lazy dog while the gateway is rebuilt underneath it.';

describe('gateway host', () => {
  test('serves requests, and a rebuild hands new requests to the new app while a stream finishes on the old one', async () => {
    const { apps, build } = trackingBuild();
    const host = createGatewayHost({ build });
    const { port } = await host.start(config());
    // The stream stays open until the test has seen the rebuild, however slowly the machine runs.
    let finish!: () => void;
    const holdBeforeEnd = new Promise<void>((resolve) => (finish = resolve));
    try {
      fake.setResponder(() => ({ content: [{ type: 'text', text: SLOW_ANSWER }], eventDelayMs: 20, holdBeforeEnd }));

      const streaming = await chat(port, { stream: true });
      assert.equal(streaming.status, 200);
      const body = streaming.text();

      // Before the rebuild the public hostname is refused by the DNS-rebinding guard.
      assert.equal(await healthAs(port, 'tunnel.example.test'), 403);

      await host.apply(config({ allowedHosts: ['tunnel.example.test'] }));
      assert.equal(apps.length, 2);
      assert.equal(host.app, apps[1]!.app);
      assert.equal(host.address?.port, port, 'same port, same listener');

      assert.equal(await healthAs(port, 'tunnel.example.test'), 200, 'new requests reach the rebuilt app at once');
      assert.equal(apps[0]!.closed, false, 'the old app stays open while its stream runs');
      finish();

      const result = readStream(await body);
      assert.deepEqual(result, { text: SLOW_ANSWER, done: true, errors: 0 });

      await host.settled();
      assert.equal(apps[0]!.closed, true, 'the old app is closed once drained');
      assert.equal(apps[1]!.closed, false);
    } finally {
      finish();
      fake.setResponder(undefined);
      await host.stop();
    }
    assert.equal(apps[1]!.closed, true);
    assert.equal(host.running, false);
  });

  test('a port change listens on the new port first and lets the old port finish its stream', async () => {
    const { apps, build } = trackingBuild();
    const host = createGatewayHost({ build });
    const first = await freePort();
    const second = await freePort();
    await host.start(config({ port: first }));
    try {
      fake.setResponder(() => ({ content: [{ type: 'text', text: SLOW_ANSWER }], eventDelayMs: 60 }));
      const streaming = await chat(first, { stream: true });
      const body = streaming.text();

      const address = await host.apply(config({ port: second }));
      assert.equal(address.port, second);
      const onNewPort = await chat(second, { stream: false });
      assert.equal(onNewPort.status, 200);
      assert.equal((await onNewPort.json()).choices[0].message.content, SLOW_ANSWER);

      assert.deepEqual(readStream(await body), { text: SLOW_ANSWER, done: true, errors: 0 });
      await host.settled();
      await assert.rejects(fetch(`http://127.0.0.1:${first}/health`), 'the old port is closed after draining');
      assert.equal(apps[0]!.closed, true);
    } finally {
      fake.setResponder(undefined);
      await host.stop();
    }
  });

  test('a port already in use fails the rebuild and keeps the running gateway', async () => {
    const { apps, build } = trackingBuild();
    const host = createGatewayHost({ build });
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const { port } = await host.start(config());
    try {
      await assert.rejects(host.apply(config({ port: taken })), /EADDRINUSE/);
      assert.equal(host.address?.port, port);
      assert.equal(host.app, apps[0]!.app);
      assert.equal(apps[1]!.closed, true, 'the app built for the failed port is closed');
      assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
    } finally {
      await host.stop();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  test('stop waits for an in-flight stream within the grace period, then refuses connections', async () => {
    const { build } = trackingBuild();
    const host = createGatewayHost({ build });
    const { port } = await host.start(config());
    fake.setResponder(() => ({ content: [{ type: 'text', text: SLOW_ANSWER }], eventDelayMs: 40 }));
    try {
      const streaming = await chat(port, { stream: true });
      const body = streaming.text();
      await host.stop();
      assert.deepEqual(readStream(await body), { text: SLOW_ANSWER, done: true, errors: 0 });
      await assert.rejects(fetch(`http://127.0.0.1:${port}/health`));
    } finally {
      fake.setResponder(undefined);
    }
  });

  test('stop cuts a stream that outlives the grace period with an error frame, never a fake finish', async () => {
    const { build } = trackingBuild();
    const host = createGatewayHost({ build, drainTimeoutMs: () => 150 });
    const { port } = await host.start(config());
    fake.setResponder(() => ({ content: [{ type: 'text', text: SLOW_ANSWER }], eventDelayMs: 400 }));
    try {
      const streaming = await chat(port, { stream: true });
      const body = streaming.text().catch(() => '');
      await host.stop();
      const result = readStream(await body);
      assert.notEqual(result.text, SLOW_ANSWER);
      assert.equal(result.done, false);
      assert.equal(result.errors, 1, 'the cut stream ends with one error frame');
    } finally {
      fake.setResponder(undefined);
    }
  });
});
