// Command-line options of `npm run bench`: `-- --quick` for a short run, `--scale <factor>` to shrink or grow
// every iteration count and duration (the smoke test uses a tiny one), `--profile` to write a CPU profile of
// the gateway process, and of the floor into its `floor/` subfolder (into `--profile-dir`, by default a folder in
// the system's temp dir; add `--from-source`
// to run the gateway's TypeScript rather than its bundle, so the profile keeps the sources' names), `--env KEY=VALUE`
// (repeatable) to configure the gateway under test, `--traces <dir>` for the real-traffic sessions (default
// ../shared/traces), `--traffic-passes <n>`, `--soak [--soak-minutes <m>]` for the soak mode instead, and
// `--references` for the reference servers instead (references.ts).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './children.ts';
import type { Budget } from './load.ts';

export interface BenchPlan {
  mode: 'full' | 'quick';
  scale: number;
  profileDir: string | undefined;
  /** Run the gateway's TypeScript sources through tsx instead of the built bundle (readable CPU profiles). */
  fromSource: boolean;
  /** Environment for the gateway under test: `--env KEY=VALUE`, repeatable (e.g. the reduction flags off). */
  gatewayEnv: Record<string, string>;
  /** Folder of agent sessions for the real-traffic case (none found: the case is skipped). */
  tracesDir: string;
  /** How many times every trace turn is sent (each pass in session order). */
  trafficPasses: number;
  /** Soak mode: minutes of mixed load while RSS and event-loop delay are sampled; undefined = no soak. */
  soakMinutes: number | undefined;
  /** Reference mode: the reference servers' costs next to the floor's and the gateway's (references.ts). */
  references: boolean;
  warmup: { small: number; stream: number; large: number; client: number };
  small: Budget;
  throughput: { concurrency: number; rounds: number; durationMs: number; maxRequests: number };
  stream: Budget;
  large: Budget;
  clients: { message: Budget; stream: Budget; loopMs: number };
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at !== -1) return args[at + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

export function parsePlan(args: string[]): BenchPlan {
  const quick = args.includes('--quick');
  const scale = Number(option(args, '--scale') ?? 1);
  if (!(scale > 0 && scale <= 10)) throw new Error('--scale must be a number in (0, 10]');
  const profileDir = args.includes('--profile') ? (option(args, '--profile-dir') ?? join(tmpdir(), 'coding-gateway-bench-profiles')) : undefined;

  const n = (full: number, short: number) => Math.max(1, Math.round((quick ? short : full) * scale));
  const ms = (full: number, short: number) => Math.max(100, Math.round((quick ? short : full) * scale));
  const budget = (rounds: number, perRoundFull: number, perRoundQuick: number, maxMs: number): Budget => ({
    rounds: quick ? Math.min(rounds, 4) : rounds,
    perRound: n(perRoundFull, perRoundQuick),
    maxMs,
  });

  return {
    mode: quick ? 'quick' : 'full',
    scale,
    profileDir,
    fromSource: args.includes('--from-source'),
    gatewayEnv: Object.fromEntries(
      args.flatMap((arg, i) => (arg === '--env' && args[i + 1]?.includes('=') ? [args[i + 1]!.split(/=(.*)/s).slice(0, 2) as [string, string]] : [])),
    ),
    tracesDir: option(args, '--traces') ?? join(REPO_ROOT, '..', 'shared', 'traces'),
    trafficPasses: Math.max(1, Number(option(args, '--traffic-passes') ?? 1)),
    soakMinutes: args.includes('--soak') ? Number(option(args, '--soak-minutes') ?? 10) : undefined,
    references: args.includes('--references'),
    warmup: { small: n(3000, 400), stream: n(600, 100), large: n(60, 10), client: n(600, 100) },
    small: budget(10, 400, 100, 30_000),
    throughput: { concurrency: 32, rounds: quick ? 1 : 3, durationMs: ms(2500, 700), maxRequests: 200_000 },
    stream: budget(10, 200, 50, 30_000),
    large: budget(6, 40, 10, 30_000),
    clients: { message: budget(6, 300, 80, 20_000), stream: budget(6, 200, 50, 20_000), loopMs: ms(2000, 500) },
  };
}
