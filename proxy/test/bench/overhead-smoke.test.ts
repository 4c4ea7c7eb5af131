// The overhead benchmark runs end to end in its quick mode with tiny counts and prints its whole table.
// Timings are not asserted: they depend on the machine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

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

test('npm run bench -- --quick completes and prints the table', { timeout: 150_000 }, async () => {
  const { code, stdout, stderr } = await runBench(['--quick', '--scale', '0.02'], 120_000);
  assert.equal(code, 0, `exit ${code}\n${stderr}\n${stdout}`);
  for (const heading of [
    'Coding Gateway overhead benchmark (quick, scale 0.02 run)',
    'Small chat request (OpenAI body',
    'Streaming chat request (first token = first chunk with text)',
    'Long agent conversation with tool results (OpenAI body',
    'Upstream client: the same small request from the load-generator process straight to the fake',
    'Targets: added median latency < 1 ms',
  ]) {
    assert.ok(stdout.includes(heading), `missing "${heading}" in:\n${stdout}`);
  }
  for (const row of ['c=1 latency median', 'c=1 latency p90', 'c=32 throughput (measured)', 'gateway capacity on one core', 'time to first token median', 'whole stream median', 'latency median', 'client CPU per request']) {
    assert.match(stdout, new RegExp(`^${row.replace(/[()=]/g, '\\$&')} .*\\d`, 'm'), `row "${row}" has no figure`);
  }
  assert.match(stdout, /undici Pool \(gateway\) +Anthropic SDK \(fetch\)/);
  assert.match(stdout, /^Faster client by CPU per request: /m);
  // Added latency is printed with its sign, e.g. "+0.412 ms".
  assert.match(stdout, /^c=1 latency median +\d+\.\d{3} ms +\d+\.\d{3} ms +[+-]\d+\.\d{3} ms +< 1 ms +(PASS|MISS)$/m);
});
