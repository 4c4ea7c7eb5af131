// Test harness: a fake Anthropic upstream and a gateway built against it, with a simulated clock and
// deterministic ids, listening on a free port when the test drives it with a real client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { makeConfig, type GatewayConfig } from '../../src/config/config.ts';
import { NO_REDUCTION } from '../../src/reduce/settings.ts';
import { buildGateway, type GatewayDeps } from '../../src/http/app.ts';
import { startFakeAnthropic, type FakeAnthropic, type FakeAnthropicOptions } from '../fake-anthropic/server.ts';

export const GATEWAY_KEY = 'test-gateway-key-0123456789';
export const ADMIN_KEY = 'test-admin-key-0123456789';
export const UPSTREAM_KEY = 'sk-ant-fake-upstream-key';

export interface Harness {
  fake: FakeAnthropic;
  app: FastifyInstance;
  config: GatewayConfig;
  /** Base URL of the listening gateway (with /v1), when started with listen: true. */
  baseURL: string;
  auth: { authorization: string };
  close(): Promise<void>;
}

export interface HarnessOptions {
  fake?: FakeAnthropicOptions;
  config?: Partial<GatewayConfig>;
  deps?: GatewayDeps;
  listen?: boolean;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY, ...options.fake });
  // Each gateway keeps its SQLite store in a folder of its own, removed on close.
  const ownDataDir = options.config?.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'cg-test-')) : undefined;
  const config = makeConfig({
    gatewayApiKey: GATEWAY_KEY,
    adminApiKey: ADMIN_KEY,
    anthropicApiKey: UPSTREAM_KEY,
    anthropicBaseUrl: fake.url,
    port: 0,
    ...(ownDataDir && { dataDir: ownDataDir }),
    // Fault tests elsewhere share one gateway: retries stay on but wait only a moment, and a run of upstream
    // errors does not open a circuit for the tests after it. Reliability tests turn these back on.
    retryBackoffBaseMs: 1,
    circuitBreakerEnabled: false,
    // Most tests assert the exact translated request upstream: token reduction and the response cache are
    // off unless a test turns them on.
    reduction: NO_REDUCTION,
    cacheTtlSeconds: 0,
    ...options.config,
  });
  let counter = 0;
  const app = buildGateway(config, {
    logger: false,
    newId: () => `test${(++counter).toString().padStart(6, '0')}`,
    ...options.deps,
  });
  const baseURL = await startApp(app, options.listen === true);
  return {
    fake,
    app,
    config,
    baseURL,
    auth: { authorization: `Bearer ${GATEWAY_KEY}` },
    async close() {
      await app.close();
      await fake.close();
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    },
  };
}

/** Listens on a free loopback port and returns the base URL (with /v1), or only readies the app for inject(). */
export async function startApp(app: FastifyInstance, listen: boolean): Promise<string> {
  if (!listen) {
    await app.ready();
    return '';
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return address && typeof address === 'object' ? `http://127.0.0.1:${address.port}/v1` : '';
}
