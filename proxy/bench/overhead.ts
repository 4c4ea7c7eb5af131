// `npm run bench` (bench:overhead): what the gateway adds to a request. The fake Anthropic API and the
// gateway (its real CLI) run as their own processes; this process generates the load and sends every
// request both ways — straight to the fake, and as the equivalent OpenAI request through the gateway.
//
//   npm run bench                     full run (about a minute)
//   npm run bench -- --quick          short run
//   npm run bench -- --scale 0.1      every count and duration times 0.1 (combines with --quick)
//   npm run bench -- --profile        also write a CPU profile of the gateway (to --profile-dir, default in the temp dir)
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startChild, REPO_ROOT, type ChildServer } from './children.ts';
import { parsePlan } from './options.ts';
import { longConversation, smallChat } from './payloads.ts';
import { renderReport } from './report.ts';
import { compareClients, latencyPair, streamPair, throughput, warmUp, type Endpoints } from './scenarios.ts';

const UPSTREAM_KEY = 'sk-ant-bench-upstream-key';
const GATEWAY_KEY = 'cg-bench-gateway-key-0123456789';
const LISTENING = /listening on (http:\/\/[^\s]+)/;

async function main(): Promise<void> {
  const plan = parsePlan(process.argv.slice(2));
  const small = smallChat(false);
  const stream = smallChat(true);
  const large = longConversation();

  const startLoad = loadavg()[0]!;
  // A fresh data directory: the gateway keeps its usage store there, and a benchmark run must not grow a real one.
  const dataDir = mkdtempSync(join(tmpdir(), 'coding-gateway-bench-'));
  const children: ChildServer[] = [];
  // Interrupted (Ctrl-C, a test's timeout): stop both servers before leaving.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void Promise.all(children.map((child) => child.stop())).finally(() => {
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(130);
      });
    });
  }
  try {
    const fake = await startChild({
      name: 'fake Anthropic',
      entry: 'proxy/bench/fake-entry.ts',
      env: { FAKE_ANTHROPIC_API_KEY: UPSTREAM_KEY },
      ready: LISTENING,
    });
    children.push(fake);
    const profileDir = plan.profileDir ? resolve(REPO_ROOT, plan.profileDir) : undefined;
    const gateway = await startChild({
      name: 'gateway',
      entry: 'proxy/src/cli.ts',
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
      nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    });
    children.push(gateway);

    const ep: Endpoints = {
      fakeUrl: fake.url,
      gatewayUrl: gateway.url,
      upstreamKey: UPSTREAM_KEY,
      gatewayKey: GATEWAY_KEY,
      gatewayCpuMs: gateway.cpuMs,
      fakeCpuMs: fake.cpuMs,
    };

    const progress = (what: string) => process.stderr.write(`bench: ${what}\n`);
    progress(`warming up (${plan.mode} run)`);
    await warmUp(plan, ep, small, stream, large);
    progress('small requests, concurrency 1');
    const smallPair = await latencyPair(plan.small, ep, small);
    progress(`small requests, concurrency ${plan.throughput.concurrency}`);
    const rates = await throughput(plan.throughput, ep, small);
    progress('streaming, time to first token');
    const streams = await streamPair(plan.stream, ep, stream);
    progress('200 KB requests');
    const largePair = await latencyPair(plan.large, ep, large);
    progress('upstream clients: undici Pool vs Anthropic SDK');
    const clients = await compareClients(plan, ep, small, stream);

    const cpu = cpus();
    console.log(
      renderReport({
        mode: plan.scale === 1 ? plan.mode : `${plan.mode}, scale ${plan.scale}`,
        environment: [
          `Node ${process.version} on ${process.platform}/${process.arch}, ${cpu.length} CPU core(s)${cpu[0] ? ` (${cpu[0].model.trim()})` : ''}.`,
          `Three processes share these cores: this load generator, the gateway (pid ${gateway.pid}, real CLI, LOG_LEVEL=warn,`,
          `single-threaded) and the fake Anthropic API (pid ${fake.pid}). Load average (1 min) ${startLoad.toFixed(1)} at the start,`,
          `${loadavg()[0]!.toFixed(1)} at the end: above the core count, other work shares the cores and every figure is noisier.`,
          `Gateway configuration: defaults with the response cache off${Object.keys(plan.gatewayEnv).length ? `, plus ${Object.entries(plan.gatewayEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}.`,
          'Direct = the Anthropic request the gateway itself would send (its own translation), straight to the fake;',
          'added = gateway median - direct median. Keep-alive undici pools on 127.0.0.1 both ways.',
        ],
        sizes: {
          small: [Buffer.byteLength(small.openai), Buffer.byteLength(small.anthropic)],
          large: [Buffer.byteLength(large.openai), Buffer.byteLength(large.anthropic)],
        },
        small: smallPair,
        throughput: rates,
        stream: streams,
        large: largePair,
        clients,
      }),
    );
    if (profileDir) console.log(`Gateway CPU profile written to ${profileDir} (open it in Chrome DevTools > Performance).`);
  } catch (error) {
    for (const child of children) {
      const output = child.output().trim();
      if (output) console.error(`--- ${child.name} (pid ${child.pid}) output ---\n${output.slice(-4000)}`);
    }
    throw error;
  } finally {
    for (const child of children.reverse()) await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exitCode = 1;
});
