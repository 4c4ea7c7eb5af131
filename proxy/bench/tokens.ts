// Token benchmark: `npm run bench:tokens -- [tracesDir] [options]` (tracesDir defaults to ../shared/traces).
// Replays every session turn by turn against the fake Anthropic on a simulated clock and prints billed input
// cost with the gateway, straight through and with caching only, information lost and dangling references.
//
// Options:
//   --via pipeline|gateway   what "with the gateway" runs (see tokens/gateway.ts); default gateway
//   --pace <seconds>         time between turns when a session reports no times (default 30)
//   --fixed-pace             ignore the times sessions report and use --pace throughout
//   --only <text>            only sessions whose id contains <text>
//   --env KEY=VALUE          a reduction setting, as in the environment (repeatable), e.g. --env CONTEXT_MAX_TOKENS=32000
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRepoMapStore } from '../src/reduce/repo-map/store.ts';
import { reductionSettingsFromEnv } from '../src/reduce/settings.ts';
import { renderReport } from './tokens/report.ts';
import { runSessions } from './tokens/run.ts';
import { loadSessions } from './tokens/traces.ts';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

const args = process.argv.slice(2);
const valued = new Set(['--via', '--pace', '--only', '--env']);
const positional = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1] ?? ''));
const dir = resolve(positional[0] ?? '../shared/traces');
if (!existsSync(dir)) {
  console.error(`No traces at ${dir}: pass the traces folder as the first argument.`);
  process.exit(2);
}
const via = (option(args, '--via') ?? 'gateway') as 'pipeline' | 'gateway';
if (via !== 'pipeline' && via !== 'gateway') throw new Error('--via must be pipeline or gateway');
const paceMs = Number(option(args, '--pace') ?? 30) * 1000;
const env: Record<string, string> = {};
args.forEach((a, i) => {
  if (a === '--env') {
    const [key, ...rest] = (args[i + 1] ?? '').split('=');
    if (key) env[key] = rest.join('=');
  }
});
const settings = reductionSettingsFromEnv(env);
const only = option(args, '--only');
const sessions = loadSessions(dir).filter((s) => !only || s.id.includes(only));
const clock = { now: Date.UTC(2026, 10, 1) };
const repoMap = settings.repoMap ? await createRepoMapStore({ ttlSeconds: settings.fileHashCacheTtlSeconds, now: () => clock.now }) : undefined;

console.log(`Token benchmark: ${sessions.length} sessions from ${dir}, via ${via}, clock: ${args.includes('--fixed-pace') ? `fixed ${paceMs / 1000}s per turn` : `times the sessions report, else ${paceMs / 1000}s per turn`}`);
const started = performance.now();
const results = await runSessions(
  sessions,
  { via, settings, paceMs, useReportedTimes: !args.includes('--fixed-pace'), repoMap, clock },
  (r) => process.stderr.write(`  ${r.id}: ${r.requests} requests\n`),
);
console.log(renderReport(results));
console.log(`\nRun time ${((performance.now() - started) / 1000).toFixed(1)} s.`);
