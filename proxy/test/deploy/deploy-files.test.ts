// The deployment recipes stay runnable: the Procfile's web process starts the gateway on all interfaces and the
// platform's PORT, and the Dockerfile's build inputs and entry point exist in the checkout.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startFakeAnthropic } from '../fake-anthropic/server.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** The Procfile's `web:` command as leading VAR=value assignments and an argument list. */
function webProcess(): { env: Record<string, string>; argv: string[] } {
  const line = readFileSync(join(ROOT, 'Procfile'), 'utf8').split('\n').find((l) => l.startsWith('web:'));
  assert.ok(line, 'the Procfile declares a web process');
  const words = line.slice('web:'.length).trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_]+=/.test(words[0])) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  return { env, argv: words };
}

describe('Procfile', () => {
  test('the web process listens on 0.0.0.0 and the PORT it is given, and answers /health', async () => {
    const fake = await startFakeAnthropic({ apiKey: 'sk-ant-procfile' });
    const dataDir = mkdtempSync(join(tmpdir(), 'cg-procfile-'));
    const { env, argv } = webProcess();
    assert.equal(env.HOST, '0.0.0.0');
    assert.equal(argv[0], 'node');
    const child = spawn(process.execPath, argv.slice(1), {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ANTHROPIC_API_KEY: 'sk-ant-procfile', ANTHROPIC_BASE_URL: fake.url, GATEWAY_API_KEY: 'procfile-gateway-key-0123' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        const onData = (data: Buffer) => {
          output += data.toString();
          const match = /listening on http:\/\/([^\s:]+):(\d+)/.exec(output);
          if (match) resolve(`${match[1]}:${match[2]}`);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      assert.match(url, /^0\.0\.0\.0:\d+$/);
      const res = await fetch(`http://127.0.0.1:${url.split(':')[1]}/health`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { status: string }).status, 'ok');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Dockerfile', () => {
  test('copies what exists and runs the compiled CLI with its data on a volume', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
    assert.deepEqual(copied, ['package.json', 'package-lock.json', 'tsconfig.json', 'proxy', 'renderer']);
    for (const path of copied) assert.ok(existsSync(join(ROOT, path)), `${path} exists`);
    assert.match(dockerfile, /npx tsc proxy\/src\/cli\.ts /);
    assert.ok(existsSync(join(ROOT, 'proxy', 'src', 'cli.ts')));
    assert.match(dockerfile, /^CMD \["node", "proxy\/src\/cli\.js"\]$/m);
    assert.match(dockerfile, /DATA_DIR=\/data/);
    assert.match(dockerfile, /^USER node$/m);
    // The build context leaves out what the image makes itself.
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', 'renderer/dist', '.git']) assert.ok(ignored.includes(entry), entry);
  });
});
