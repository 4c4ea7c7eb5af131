// The three servers a benchmark run talks to, each its own Node process: the fake Anthropic API, the gateway
// (its real CLI) and the minimal translator that serves as the floor.
import { join, resolve } from 'node:path';
import { REPO_ROOT, startChild, type ChildServer } from './children.ts';
import type { BenchPlan } from './options.ts';
import { ensureGatewayBundle } from './bundle.ts';
import type { Endpoints } from './scenarios.ts';

export const UPSTREAM_KEY = 'sk-ant-bench-upstream-key';
const GATEWAY_KEY = 'cg-bench-gateway-key-0123456789';
const LISTENING = /listening on (http:\/\/[^\s]+)/;

export interface Servers {
  fake: ChildServer;
  gateway: ChildServer;
  floor: ChildServer;
  endpoints: Endpoints;
}

/** Starts the servers, pushing each onto `started` as soon as it runs so the caller can always stop them. */
export async function startServers(plan: BenchPlan, dataDir: string, started: ChildServer[], extraNodeArgs: string[] = []): Promise<Servers> {
  const fake = await startChild({ name: 'fake Anthropic', entry: 'proxy/bench/fake-entry.ts', env: { FAKE_ANTHROPIC_API_KEY: UPSTREAM_KEY }, ready: LISTENING });
  started.push(fake);
  const profileDir = plan.profileDir ? resolve(REPO_ROOT, plan.profileDir) : undefined;
  // What users run: the bundle `npm run gateway` builds (made here when missing or stale). `--from-source` runs
  // the TypeScript through tsx instead, for a CPU profile with the sources' own names.
  if (!plan.fromSource) await ensureGatewayBundle();
  const gateway = await startChild({
    name: 'gateway',
    entry: plan.fromSource ? 'proxy/src/cli.ts' : 'dist/gateway/cli.js',
    typescript: plan.fromSource,
    env: {
      ANTHROPIC_API_KEY: UPSTREAM_KEY,
      ANTHROPIC_BASE_URL: fake.url,
      GATEWAY_API_KEY: GATEWAY_KEY,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      // Every request is identical: without this the response cache would answer them and hide the path.
      CACHE_TTL_SECONDS: '0',
      ...plan.gatewayEnv,
    },
    ready: LISTENING,
    nodeArgs: [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...extraNodeArgs],
  });
  started.push(gateway);
  const floor = await startChild({
    name: 'minimal translator',
    entry: 'proxy/bench/minimal-translator.ts',
    env: { UPSTREAM_URL: fake.url, UPSTREAM_KEY },
    ready: LISTENING,
    // With --profile the floor is profiled too (in a folder of its own), to compare the two side by side.
    nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, 'floor')}`] : [],
  });
  started.push(floor);
  const endpoints: Endpoints = {
    fakeUrl: fake.url,
    gatewayUrl: gateway.url,
    floorUrl: floor.url,
    upstreamKey: UPSTREAM_KEY,
    gatewayKey: GATEWAY_KEY,
    gatewayCpuMs: gateway.cpuMs,
    floorCpuMs: floor.cpuMs,
    fakeCpuMs: fake.cpuMs,
  };
  return { fake, gateway, floor, endpoints };
}
