// `npm run bench` (bench:overhead): what the gateway adds to a request. The fake Anthropic API, the gateway
// (its real CLI) and a minimal translator (the floor) run as their own processes; this process generates the
// load and sends every request three ways — straight to the fake, through the gateway and through the floor.
//
//   npm run bench                     full run (a few minutes)
//   npm run bench -- --quick          short run (every trace turn still, fewer samples of the rest)
//   npm run bench -- --scale 0.1      every count and duration times 0.1 (combines with --quick)
//   npm run bench -- --profile        also write CPU profiles of the gateway and the floor (to --profile-dir)
//   npm run bench -- --traces DIR     the agent sessions of the real-traffic case (default ../shared/traces)
//   npm run bench -- --soak [--soak-minutes 10]   soak mode: RSS and event-loop delay over time (bench/soak.ts)
//   npm run bench -- --references     reference servers: what fixed pieces of any gateway cost (bench/references.ts)
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildServer } from './children.ts';
import { parsePlan, type BenchPlan } from './options.ts';
import { BENCH_MODEL, longConversation, smallChat } from './payloads.ts';
import { renderReport } from './report.ts';
import { compareClients, latencyPair, streamPair, throughput, warmUp } from './scenarios.ts';
import { startServers, type Servers } from './servers.ts';
import { runReferences } from './references.ts';
import { PROBE_FILE_ENV, runSoak } from './soak.ts';
import { loadTraceTurns, pickTurns } from './traces.ts';
import { realTraffic } from './traffic.ts';

/** Four processes keep two or more cores busy on their own; a load well above that means other work too. */
function loadNote(load: number, cores: number): string {
  return load > cores + 1 ? ': other work shares the cores, and every figure is noisier' : '';
}

const progress = (what: string) => process.stderr.write(`bench: ${what}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function benchmark(plan: BenchPlan, servers: Servers): Promise<string> {
  const { endpoints: ep, gateway, floor, fake } = servers;
  const startLoad = loadavg()[0]!;
  await sleep(1500);
  const idle = { gateway: gateway.rssMb(), floor: floor.rssMb() };
  const small = smallChat(false);
  const stream = smallChat(true);
  const large = longConversation();
  progress(`warming up (${plan.mode} run)`);
  await warmUp(plan, ep, small, stream, large);
  const turns = pickTurns(loadTraceTurns(plan.tracesDir, BENCH_MODEL), plan);
  progress(turns.length ? `real traffic: ${turns.length} trace turns from ${plan.tracesDir}` : `real traffic: no sessions in ${plan.tracesDir}, skipped`);
  const traffic = turns.length ? await realTraffic(ep, turns, plan.trafficPasses) : undefined;
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
  return renderReport({
    mode: plan.scale === 1 ? plan.mode : `${plan.mode}, scale ${plan.scale}`,
    environment: [
      `Node ${process.version} on ${process.platform}/${process.arch}, ${cpu.length} CPU core(s)${cpu[0] ? ` (${cpu[0].model.trim()})` : ''}.`,
      `Four processes share these cores: this load generator, the gateway (pid ${gateway.pid}, real CLI, LOG_LEVEL=warn,`,
      `single-threaded), the minimal translator (pid ${floor.pid}) and the fake Anthropic API (pid ${fake.pid}). Load average (1 min)`,
      `${startLoad.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end${loadNote(Math.max(startLoad, loadavg()[0]!), cpu.length)}.`,
      `Gateway configuration: defaults with the response cache off${Object.keys(plan.gatewayEnv).length ? `, plus ${Object.entries(plan.gatewayEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}.`,
      'Direct = the Anthropic request the gateway itself would send (its own translation), straight to the fake;',
      'added = median - direct median. Floor = the minimal translator (bench/minimal-translator.ts). Keep-alive undici pools on 127.0.0.1.',
    ],
    sizes: {
      small: [Buffer.byteLength(small.openai), Buffer.byteLength(small.anthropic)],
      large: [Buffer.byteLength(large.openai), Buffer.byteLength(large.anthropic)],
    },
    idleRssMb: idle,
    traffic,
    small: smallPair,
    throughput: rates,
    stream: streams,
    large: largePair,
    clients,
  });
}

async function main(): Promise<void> {
  const plan = parsePlan(process.argv.slice(2));
  // A fresh data directory: the gateway keeps its usage store there, and a benchmark run must not grow a real one.
  const dataDir = mkdtempSync(join(tmpdir(), 'coding-gateway-bench-'));
  const children: ChildServer[] = [];
  // Interrupted (Ctrl-C, a test's timeout): stop every server before leaving.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void Promise.all(children.map((child) => child.stop())).finally(() => {
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(130);
      });
    });
  }
  try {
    const probe = plan.soakMinutes === undefined ? [] : ['--import', './proxy/bench/loop-probe.mjs'];
    if (plan.soakMinutes !== undefined) {
      plan.gatewayEnv[PROBE_FILE_ENV] = join(dataDir, 'loop-probe.jsonl');
      plan.gatewayEnv['LOOP_PROBE_MS'] ??= String(Math.max(1000, Math.round((plan.soakMinutes * 60_000) / 40)));
    }
    const servers = await startServers(plan, dataDir, children, probe);
    if (plan.soakMinutes !== undefined) console.log(await runSoak(plan, servers, progress));
    else if (plan.references) console.log(await runReferences(plan, servers, children, progress));
    else console.log(await benchmark(plan, servers));
    if (plan.profileDir) console.log(`CPU profiles written to ${plan.profileDir}, the floor's in floor/ (open them in Chrome DevTools > Performance).`);
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
