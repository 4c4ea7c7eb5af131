// `npm run screenshot`: the README's dashboard picture, taken from the product itself. Starts
// `npm run gateway:demo` (the built gateway against its offline fake upstream), sends it real traffic with the
// OpenAI SDK through two projects' keys and the gateway key, then signs in to /dashboard/ in headless Chromium
// and saves the overview as docs/images/dashboard-overview.png.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowser } from '../../proxy/test/dashboard/helpers/browser.ts';
import { sendTraffic } from '../../proxy/test/dashboard/helpers/traffic.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'docs', 'images', 'dashboard-overview.png');
const GATEWAY_KEY = 'screenshot-gateway-key-0123';
const ADMIN_KEY = 'screenshot-admin-key-0123';

async function startDemo(dataDir: string) {
  const child = spawn('npm', ['run', '--silent', 'gateway:demo'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir, GATEWAY_API_KEY: GATEWAY_KEY, ADMIN_API_KEY: ADMIN_KEY, ENABLE_MULTI_PROJECT: '1' },
  });
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gateway:demo exited ${code}: ${output}`)));
  });
  return { origin, stop: () => process.kill(-child.pid!, 'SIGTERM') };
}

async function admin(origin: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${origin}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function projectKey(origin: string, id: string, name: string): Promise<string> {
  await admin(origin, '/admin/projects', { id, name });
  return (await admin(origin, `/admin/projects/${id}/keys`, { name: 'screenshot' })).key;
}

const dataDir = mkdtempSync(join(tmpdir(), 'cg-screenshot-'));
const demo = await startDemo(dataDir);
try {
  const api = `${demo.origin}/v1`;
  const web = await projectKey(demo.origin, 'web-app', 'Web app');
  const tools = await projectKey(demo.origin, 'cli-tools', 'CLI tools');
  for (const [key, count] of [[GATEWAY_KEY, 24], [web, 36], [tools, 20]] as const) await sendTraffic(api, key, count);
  // Usage is written off the request path.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const browser = await openBrowser();
  try {
    const { page } = browser;
    await page.goto(`${demo.origin}/dashboard/`);
    await page.fill('#admin-key', ADMIN_KEY);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=headline]');
    // A week: the demo's traffic is all from today, and a month squeezes it into the last pixel.
    await page.getByRole('button', { name: '7 days' }).click();
    await page.waitForSelector('[data-testid=chart-cost] svg');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await page.screenshot({ path: OUT, fullPage: false });
    if (browser.pageErrors.length > 0) console.warn(`page errors: ${browser.pageErrors.join('; ')}`);
  } finally {
    await browser.close();
  }
  console.log(`saved ${OUT}`);
} finally {
  demo.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
