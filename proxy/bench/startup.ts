// `npm run bench:startup`: how long the gateway takes to answer its first /health and how much memory it holds
// once idle, with the default configuration, the old way (TypeScript sources through tsx) and the built way
// (the bundle under plain node, and `npm run gateway`, which adds npm and the staleness check).
//
// Cold: the first start after the cache that matters is emptied (tsx's transform cache for the sources; a fresh
// build for the bundle). The operating system's file cache stays warm unless --drop-caches is given and the
// machine allows it (root). Warm: the starts after that. Figures are medians; RSS is read after a few idle
// seconds from /proc, summed over the process tree (tsx runs the gateway in a second Node process).
// `--before-dir <checkout>` runs the tsx variant in another checkout (e.g. the commit before the build existed).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAnthropic } from '../test/fake-anthropic/server.ts';
import { REPO_ROOT } from './children.ts';
import { median } from './stats.ts';

interface Variant {
  name: string;
  command: string[];
  /** Where it runs (the repository unless --before-dir names an older checkout for the tsx variant). */
  cwd?: string;
  /** Empties the cache a cold start lacks; returns extra environment for the cold run. */
  makeCold(): Record<string, string>;
  warmEnv: Record<string, string>;
}

interface StartSample {
  healthMs: number;
  /** CPU time (user + system) the process tree had used when /health answered: steadier than wall time on a busy machine. */
  cpuMs: number;
  /** Whole process tree, after idling. */
  treeRssMb: number;
  /** The process that listens (the largest in the tree). */
  gatewayRssMb: number;
}

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const WARM_RUNS = option('--runs', 5);
const COLD_RUNS = option('--cold-runs', 3);
const IDLE_MS = option('--idle-ms', 3000);
const DROP_CACHES = args.includes('--drop-caches');
/** `--only bundle` measures only the variants whose name contains the word. */
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
/** `--before-dir <checkout>`: the tsx variant runs an older checkout's sources (with its own node_modules). */
const BEFORE_DIR = args.includes('--before-dir') ? args[args.indexOf('--before-dir') + 1] : undefined;

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU time of one process, in ms (/proc counts in clock ticks, 100 per second on Linux). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function tree(pid: number): number[] {
  return [pid, ...children(pid).flatMap(tree)];
}

function dropCaches(): void {
  if (!DROP_CACHES) return;
  try {
    spawnSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
  } catch {
    console.warn('  (could not drop the file cache here: cold runs keep it)');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startOnce(variant: Variant, env: Record<string, string>): Promise<StartSample> {
  const started = performance.now();
  const child = spawn(variant.command[0]!, variant.command.slice(1), { cwd: variant.cwd ?? REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  try {
    const base = await new Promise<string>((resolve, reject) => {
      const onData = (data: Buffer) => {
        output += data.toString();
        const match = /listening on (http:\/\/[^\s]+)/.exec(output);
        if (match) resolve(match[1]!);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`${variant.name} exited ${code}: ${output.slice(-2000)}`)));
    });
    const health = await fetch(`${base}/health`);
    const healthMs = performance.now() - started;
    const cpu = tree(child.pid!).reduce((sum, pid) => sum + cpuMs(pid), 0);
    if (health.status !== 200) throw new Error(`${variant.name}: /health answered ${health.status}`);
    await health.arrayBuffer();
    await sleep(IDLE_MS);
    const sizes = tree(child.pid!).map(rssMb);
    return { healthMs, cpuMs: cpu, treeRssMb: sizes.reduce((a, b) => a + b, 0), gatewayRssMb: Math.max(...sizes) };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // The whole group: npm and tsx start the gateway in a child of their own.
    process.kill(-child.pid!, 'SIGTERM');
    await Promise.race([exited, sleep(5000)]);
  }
}

async function measure(variant: Variant, baseEnv: Record<string, string>) {
  const cold: StartSample[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const extra = variant.makeCold();
    dropCaches();
    cold.push(await startOnce(variant, { ...baseEnv, ...extra }));
  }
  const warm: StartSample[] = [];
  await startOnce(variant, { ...baseEnv, ...variant.warmEnv });
  for (let i = 0; i < WARM_RUNS; i++) warm.push(await startOnce(variant, { ...baseEnv, ...variant.warmEnv }));
  return { cold, warm };
}

function buildBundle(): void {
  const result = spawnSync(process.execPath, ['build/scripts/build.mjs', '--gateway-only'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`);
}

function freshDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

async function main(): Promise<void> {
  const fake = await startFakeAnthropic({ apiKey: 'sk-ant-bench-startup' });
  const dataDir = freshDir('cg-bench-startup-');
  const warmTsx = freshDir('cg-bench-tsx-');
  const scratch: string[] = [dataDir, warmTsx];
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    PORT: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    GATEWAY_API_KEY: 'bench-startup-gateway-key',
    ANTHROPIC_API_KEY: 'sk-ant-bench-startup',
    ANTHROPIC_BASE_URL: fake.url,
  };
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const variants: Variant[] = [
    {
      name: BEFORE_DIR ? 'before: tsx proxy/src/cli.ts (older checkout)' : 'before: tsx proxy/src/cli.ts',
      command: [tsx, 'proxy/src/cli.ts'],
      ...(BEFORE_DIR && { cwd: BEFORE_DIR }),
      makeCold: () => {
        const dir = freshDir('cg-bench-tsx-cold-');
        scratch.push(dir);
        return { TMPDIR: dir };
      },
      warmEnv: { TMPDIR: warmTsx },
    },
    { name: 'after: node dist/gateway/cli.js', command: [process.execPath, 'dist/gateway/cli.js'], makeCold: () => (buildBundle(), {}), warmEnv: {} },
    { name: 'after: npm run gateway', command: ['npm', 'run', '--silent', 'gateway'], makeCold: () => (buildBundle(), {}), warmEnv: {} },
  ];

  buildBundle();
  // The data folder's migrations run once, before anything is timed.
  await startOnce(variants[1]!, baseEnv);
  const rows: string[] = [];
  try {
    for (const variant of variants.filter((v) => !ONLY || v.name.includes(ONLY))) {
      console.log(`measuring ${variant.name} (${COLD_RUNS} cold, ${WARM_RUNS} warm)…`);
      const { cold, warm } = await measure(variant, baseEnv);
      const m = (samples: StartSample[], key: keyof StartSample) => median(samples.map((s) => s[key]));
      rows.push(
        [variant.name.padEnd(34), `${m(cold, 'healthMs').toFixed(0)} ms`.padStart(9), `${m(warm, 'healthMs').toFixed(0)} ms`.padStart(9),
          `${m(warm, 'cpuMs').toFixed(0)} ms`.padStart(9),
          `${m(warm, 'gatewayRssMb').toFixed(0)} MB`.padStart(9), `${m(warm, 'treeRssMb').toFixed(0)} MB`.padStart(9)].join('  '),
      );
    }
  } finally {
    await fake.close();
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nTime to the first /health answer and idle RSS (${IDLE_MS / 1000} s after it), medians; default configuration.`);
  console.log(['variant'.padEnd(34), 'cold'.padStart(9), 'warm'.padStart(9), 'warm CPU'.padStart(9), 'gateway'.padStart(9), 'all procs'.padStart(9)].join('  '));
  for (const row of rows) console.log(row);
  console.log(`\nbundle: ${bundleSummary()}`);
}

function bundleSummary(): string {
  const dir = join(REPO_ROOT, 'dist', 'gateway');
  const files = (sub: string): string[] => readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(sub, e.name)) : [join(sub, e.name)]));
  const js = files('').filter((f) => f.endsWith('.js'));
  const bytes = js.reduce((sum, f) => sum + readFileSync(join(dir, f)).length, 0);
  return `${js.length} JavaScript files, ${(bytes / 1024).toFixed(0)} KB in dist/gateway`;
}

await main();
