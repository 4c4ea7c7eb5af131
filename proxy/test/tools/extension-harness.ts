// A gateway built on a data folder the test chooses, so a test can close it and build another on the same folder
// (a restart), against a fake Anthropic it keeps running.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { makeConfig, type GatewayConfig } from '../../src/config/config.ts';
import { buildGateway, type GatewayDeps } from '../../src/http/app.ts';
import { NO_REDUCTION } from '../../src/reduce/settings.ts';
import { openGatewayStore, type GatewayStore } from '../../src/store/gateway-store.ts';
import type { FakeAnthropic } from '../fake-anthropic/index.ts';
import { ADMIN_KEY, GATEWAY_KEY, UPSTREAM_KEY, startApp } from '../helpers/harness.ts';

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'cg-ext-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface ExtensionGateway {
  app: FastifyInstance;
  store: GatewayStore;
  config: GatewayConfig;
  /** With /v1, when listening. */
  baseURL: string;
  auth: { authorization: string };
  admin: { authorization: string };
  /** Closes the app and its store; the data folder and the fake stay. */
  close(): Promise<void>;
}

export interface ExtensionGatewayOptions {
  fake: FakeAnthropic;
  dataDir: string;
  config?: Partial<GatewayConfig>;
  deps?: GatewayDeps;
  listen?: boolean;
  /** Prefix of the generated ids, so two gateways on one folder never mint the same id. */
  idPrefix?: string;
}

export async function startExtensionGateway(options: ExtensionGatewayOptions): Promise<ExtensionGateway> {
  const config = makeConfig({
    gatewayApiKey: GATEWAY_KEY,
    adminApiKey: ADMIN_KEY,
    anthropicApiKey: UPSTREAM_KEY,
    anthropicBaseUrl: options.fake.url,
    port: 0,
    dataDir: options.dataDir,
    retryBackoffBaseMs: 1,
    circuitBreakerEnabled: false,
    reduction: NO_REDUCTION,
    cacheTtlSeconds: 0,
    ...options.config,
  });
  const store = openGatewayStore({ dataDir: options.dataDir, flushMs: 5 });
  let counter = 0;
  const prefix = options.idPrefix ?? 'test';
  const app = buildGateway(config, {
    logger: false,
    store,
    newId: () => `${prefix}${(++counter).toString().padStart(6, '0')}`,
    ...options.deps,
  });
  const baseURL = await startApp(app, options.listen === true);
  return {
    app,
    store,
    config,
    baseURL,
    auth: { authorization: `Bearer ${GATEWAY_KEY}` },
    admin: { authorization: `Bearer ${ADMIN_KEY}` },
    async close() {
      await app.close();
      store.close();
    },
  };
}
