// The deployment recipes stay runnable: the Procfile's web process runs the built gateway (no TypeScript loader)
// on all interfaces and the platform's PORT and serves the built dashboard; the Dockerfile builds the same
// bundle in its build stage and runs it, with production dependencies only, as an unprivileged user.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { startFakeAnthropic } from '../fake-anthropic/server.ts';
import { ensureBuilt, ROOT } from '../helpers/built-gateway.ts';
import { startCli } from '../helpers/cli-process.ts';

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
  before(ensureBuilt);

  test('the web process runs the built gateway on 0.0.0.0 and PORT, answers /health and serves the dashboard', async () => {
    const fake = await startFakeAnthropic({ apiKey: 'sk-ant-procfile' });
    const dataDir = mkdtempSync(join(tmpdir(), 'cg-procfile-'));
    const { env, argv } = webProcess();
    assert.equal(env.HOST, '0.0.0.0');
    assert.deepEqual(argv, ['node', 'dist/gateway/cli.js'], 'plain node on the bundle: tsx is a development dependency');
    const gateway = await startCli(
      { ...env, DATA_DIR: dataDir, ANTHROPIC_API_KEY: 'sk-ant-procfile', ANTHROPIC_BASE_URL: fake.url, GATEWAY_API_KEY: 'procfile-gateway-key-0123' },
      { entry: join(ROOT, argv[1]!) },
    );
    try {
      assert.match(gateway.url, /^http:\/\/0\.0\.0\.0:\d+$/);
      const local = gateway.url.replace('0.0.0.0', '127.0.0.1');
      const health = await fetch(`${local}/health`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, 'ok');
      const page = await fetch(`${local}/dashboard/`);
      assert.equal(page.status, 200, 'the build includes the dashboard');
      const html = await page.text();
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html);
      assert.ok(script, html);
      assert.equal((await fetch(`${local}/dashboard/${script[1]}`)).status, 200);
    } finally {
      gateway.child.kill('SIGTERM');
      assert.equal(await gateway.exited, 0);
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  test('builds from what exists with the same npm flow as the Procfile', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
    assert.deepEqual(copied, ['package.json', 'package-lock.json', 'tsconfig.json', 'build/scripts', 'proxy', 'renderer']);
    for (const path of copied) assert.ok(existsSync(join(ROOT, path)), `${path} exists`);
    assert.match(dockerfile, /RUN npm ci\b/);
    assert.match(dockerfile, /npm run build\b/);
    assert.match(dockerfile, /npm prune --omit=dev\b/);
    // The build context leaves out what the image makes itself.
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', '.git']) assert.ok(ignored.includes(entry), entry);
  });

  test('runs the bundle as an unprivileged user with its data on a volume and a health check', () => {
    const stages = dockerfile.split(/^FROM /m).slice(1);
    assert.equal(stages.length, 2, 'a build stage and a runtime stage');
    const runtime = stages[1]!;
    assert.match(runtime, /^COPY --from=build \/app\/dist\/gateway \.\/dist\/gateway$/m);
    assert.match(runtime, /^COPY --from=build \/app\/dist\/dashboard \.\/dist\/dashboard$/m);
    assert.doesNotMatch(runtime, /tsx|npm ci/, 'no TypeScript loader and no install in the runtime image');
    assert.match(runtime, /^CMD \["node", "dist\/gateway\/cli\.js"\]$/m);
    assert.match(runtime, /DATA_DIR=\/data/);
    assert.match(runtime, /^VOLUME \["\/data"\]$/m);
    assert.match(runtime, /^USER node$/m);
    assert.match(runtime, /^HEALTHCHECK .*\n\s+CMD .*\/health/m);
  });
});
