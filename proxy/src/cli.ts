// Headless gateway: read the environment, build the app, listen, and shut down gracefully on SIGINT/SIGTERM
// (in-flight streams get SHUTDOWN_GRACE_SECONDS to finish, then are ended with an error frame).
import { join } from 'node:path';
import { configFromEnv } from './config/env.ts';
import { ConfigError } from './config/env-readers.ts';
import { GatewayError } from './errors.ts';
import { buildGateway, randomId } from './http/app.ts';
import { ensurePrivateDir, keptSecret } from './store/private-files.ts';

const demo = process.argv.includes('--demo');

/**
 * With no GATEWAY_API_KEY (or ADMIN_API_KEY) set, the gateway makes one and keeps it in DATA_DIR (0600), so it is
 * never keyless; it is printed once, when made. The admin key is a separate key with its own prefix.
 */
function keptKey(kind: 'gateway' | 'admin', prefix: string) {
  return (dataDir: string): string => {
    ensurePrivateDir(dataDir);
    const file = join(dataDir, `${kind}-key`);
    return keptSecret(
      file,
      () => `${prefix}${randomId()}${randomId()}`,
      (key) => console.log(`Generated ${kind === 'admin' ? 'an admin' : 'a gateway'} key (kept in ${file}): ${key}`),
    );
  };
}

async function main(): Promise<void> {
  const env = { ...process.env };
  let stopDemo: (() => Promise<void>) | undefined;
  if (demo) {
    // Offline demo: a local fake of Anthropic's API stands in for the real one.
    const { startFakeAnthropic } = await import('../test/fake-anthropic/server.ts');
    const fake = await startFakeAnthropic({ apiKey: 'demo-upstream-key' });
    env.ANTHROPIC_BASE_URL = fake.url;
    env.ANTHROPIC_API_KEY = 'demo-upstream-key';
    stopDemo = () => fake.close();
    console.log(`Demo mode: fake Anthropic API at ${fake.url}`);
  }

  let config;
  try {
    config = configFromEnv(env, { fallbackGatewayKey: keptKey('gateway', 'cg-'), fallbackAdminKey: keptKey('admin', 'cga-') });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }

  const app = buildGateway(config);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // One write, so whoever waits for the listening line also has the upstreams.
  const upstreams = config.upstreams?.length ? `\nUpstreams: ${config.upstreams.map((u) => `${u.name} (${u.provider}, weight ${u.weight})`).join(', ')}` : '';
  console.log(`Coding Gateway listening on http://${config.host}:${port} — OpenAI base URL http://${config.host}:${port}/v1${upstreams}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal, streams: app.gatewayContext.activeStreams.size }, 'shutting down');
    const grace = setTimeout(() => {
      const reason = new GatewayError({ status: 503, type: 'overloaded_error', code: 'gateway_shutdown', message: 'The gateway is shutting down.' });
      for (const abort of app.gatewayContext.activeStreams) abort.abort(reason);
      setTimeout(() => app.server.closeAllConnections(), 1000).unref();
    }, config.shutdownGraceMs);
    grace.unref();
    await app.close();
    clearTimeout(grace);
    await stopDemo?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
