// The fake upstream and the gateway each run in their own Node process, as they would in production, so the
// load generator, the gateway and the upstream do not share an event loop.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildServer {
  name: string;
  pid: number;
  /** Base URL the server printed when it started listening. */
  url: string;
  /** CPU time (user + system, all threads) the process has used so far, in ms; undefined without /proc. */
  cpuMs(): number | undefined;
  rssMb(): number | undefined;
  /** The last few KB the process wrote (stdout and stderr; the gateway logs warnings and errors there). */
  output(): string;
  stop(): Promise<void>;
}

export interface ChildSpec {
  name: string;
  /** Script path relative to the repository root. */
  entry: string;
  /** TypeScript sources run through tsx; a built JavaScript entry runs on plain Node. */
  typescript?: boolean;
  env: Record<string, string>;
  /** Matches the line the server prints once it listens; group 1 is its base URL. */
  ready: RegExp;
  nodeArgs?: string[];
  startTimeoutMs?: number;
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in MB, from /proc; undefined without it. */
export function processRssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export function startChild(spec: ChildSpec): Promise<ChildServer> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...spec.env };
  const loader = spec.typescript === false ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), ...loader, spec.entry], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  // Never leave a server behind, even when the benchmark itself fails.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 5000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 2000);
    }
  };

  let output = '';
  const keep = (text: string) => {
    output = (output + text).slice(-20_000);
  };
  child.stderr!.setEncoding('utf8').on('data', keep);
  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${spec.name} did not start: ${why}\n${stdout}${output}`.trim()));
    };
    const timer = setTimeout(() => fail('timed out'), spec.startTimeoutMs ?? 30_000);
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code})`));
    child.stdout!.setEncoding('utf8').on('data', function onData(text: string) {
      stdout += text;
      const match = spec.ready.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout!.removeListener('data', onData);
      child.stdout!.on('data', keep);
      resolve({ name: spec.name, pid, url: match[1]!, cpuMs: () => processCpuMs(pid), rssMb: () => processRssMb(pid), output: () => output, stop });
    });
  });
}
