// The overhead benchmark runs end to end in its quick mode with tiny counts and prints its whole table.
// Timings are not asserted: they depend on the machine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { ensureBuilt } from '../helpers/built-gateway.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// The benchmark runs the built gateway: it is built once, under the lock every test that runs dist/ shares.
before(() => ensureBuilt(), { timeout: 300_000 });

function runBench(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'proxy/bench/overhead.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    // SIGTERM lets the benchmark stop the servers it started.
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('npm run bench -- --quick completes and prints every table with its floor', { timeout: 180_000 }, async () => {
  const { code, stdout, stderr } = await runBench(['--quick', '--scale', '0.02'], 160_000);
  assert.equal(code, 0, `exit ${code}\n${stderr}\n${stdout}`);
  for (const heading of [
    'Coding Gateway overhead benchmark (quick, scale 0.02 run)',
    'Small chat request (OpenAI body',
    'Streaming chat request (first token = first chunk with text)',
    'Long agent conversation with tool results (OpenAI body',
    'Idle RSS after start-up: gateway ',
    'Upstream client: the same small request from the load-generator process straight to the fake',
    'Targets: real traffic adds no more than the floor',
  ]) {
    assert.ok(stdout.includes(heading), `missing "${heading}" in:\n${stdout}`);
  }
  for (const row of ['c=1 latency median', 'c=1 latency p90', 'c=32 throughput (measured)', 'capacity on one core', 'time to first token median', 'whole stream median', 'latency median', 'client CPU per request']) {
    assert.match(stdout, new RegExp(`^${row.replace(/[()=]/g, '\\$&')} .*\\d`, 'm'), `row "${row}" has no figure`);
  }
  assert.match(stdout, /undici Pool \(gateway\) +Anthropic SDK \(fetch\)/);
  assert.match(stdout, /^Faster client by CPU per request: /m);
  // Direct, gateway and floor figures, then what each added (with its sign), the ratio, the target and the verdict.
  assert.match(stdout, /^c=1 latency median( +\d+\.\d{3} ms){3}( +[+-]\d+\.\d{3} ms){2} +(-?\d+\.\d\dx|n\/a) +<= floor \+ 0\.1 ms +(PASS|MISS)$/m);
  // The real-traffic case runs when the shared sessions are beside the checkout, and says it skipped otherwise.
  if (stdout.includes('Real agent traffic: skipped')) return;
  for (const bucket of ['under 50 KB', '50-200 KB', 'over 200 KB']) assert.match(stdout, new RegExp(`^${bucket} \\(\\d+ turns`, 'm'));
  assert.match(stdout, /^gateway CPU per MB \/ in-process parse \+ serialise +[\d.]+ ms +[\d.]+ ms +[\d.]+x +<= 3x +(PASS|MISS)$/m);
});

test('npm run bench -- --soak prints RSS and event-loop delay over time', { timeout: 120_000 }, async () => {
  const { code, stdout, stderr } = await runBench(['--soak', '--soak-minutes', '0.1', '--env', 'LOOP_PROBE_MS=1000'], 100_000);
  assert.equal(code, 0, `exit ${code}\n${stderr}\n${stdout}`);
  assert.match(stdout, /^Coding Gateway soak \(0\.1 min, \d+ requests/m);
  assert.match(stdout, /^\d+\.\d\d min +[\d.]+ MB +[\d.]+ MB +[\d.]+ ms +[\d.]+ ms +[\d.]+ ms$/m);
  assert.match(stdout, /^RSS median once warm \(second quarter\) [\d.]+ MB, last quarter [\d.]+ MB: -?[\d.]+% \(target within 10%: (PASS|MISS)\); range [\d.]+-[\d.]+ MB$/m);
});

test('npm run bench -- --references prints the reference servers next to the floor and the gateway', { timeout: 180_000 }, async () => {
  const { code, stdout, stderr } = await runBench(['--references', '--quick', '--scale', '0.02'], 160_000);
  assert.equal(code, 0, `exit ${code}\n${stderr}\n${stdout}`);
  assert.match(stdout, /^Coding Gateway reference servers \(quick, scale 0\.02 run\)/m);
  for (const row of ['the floor: translator on node:http', 'the floor on Fastify', 'the floor on Fastify + usage journal', 'the gateway']) {
    assert.match(stdout, new RegExp(`^${row.replace(/[+:]/g, '\\$&')} +\\d+ µs +\\d+% +[+-]\\d+\\.\\d{3} ms +[+-]\\d+\\.\\d{3} ms$`, 'm'), `row "${row}" has no figures`);
  }
  if (!stdout.includes('Real agent traffic, 0 turns')) {
    for (const row of ['byte forwarder: body sent on unparsed', 'forwarder with one JSON.parse \\+ JSON.stringify', 'the floor: translator on node:http', 'the gateway']) {
      assert.match(stdout, new RegExp(`^${row} +[\\d.]+ ms +[\\d.]+x$`, 'm'), `traffic row "${row}" has no figures`);
    }
  }
});
